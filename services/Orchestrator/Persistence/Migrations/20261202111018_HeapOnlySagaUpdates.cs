using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HeapOnlySagaUpdates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_current_state_created_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "IX_jobs_deadline_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "IX_jobs_stage_timeout_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.AlterTable(
                name: "jobs",
                schema: "workflow")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);

            migrationBuilder.CreateIndex(
                name: "IX_jobs_unfinished_owner_created_at",
                schema: "workflow",
                table: "jobs",
                columns: new[] { "owner", "created_at" },
                filter: "completed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_unfinished_owner_created_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.AlterTable(
                name: "jobs",
                schema: "workflow")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);

            migrationBuilder.CreateIndex(
                name: "IX_jobs_current_state_created_at",
                schema: "workflow",
                table: "jobs",
                columns: new[] { "current_state", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_deadline_at",
                schema: "workflow",
                table: "jobs",
                column: "deadline_at",
                filter: "deadline_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_stage_timeout_at",
                schema: "workflow",
                table: "jobs",
                column: "stage_timeout_at",
                filter: "stage_timeout_at IS NOT NULL");
        }
    }
}
