using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UniqueKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "unique_key",
                schema: "workflow",
                table: "jobs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_jobs_owner_unique_key_created_at",
                schema: "workflow",
                table: "jobs",
                columns: new[] { "owner", "unique_key", "created_at" },
                filter: "unique_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_owner_unique_key_created_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "unique_key",
                schema: "workflow",
                table: "jobs");
        }
    }
}
