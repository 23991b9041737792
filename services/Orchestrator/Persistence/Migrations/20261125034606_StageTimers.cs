using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StageTimers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "deadline_at",
                schema: "workflow",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "deadline_token_id",
                schema: "workflow",
                table: "jobs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "stage_timeout_at",
                schema: "workflow",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "stage_timeout_token_id",
                schema: "workflow",
                table: "jobs",
                type: "uuid",
                nullable: true);

            // Jobs already in flight keep the timeouts they were running under, so that the reconciler still watches them.
            migrationBuilder.Sql("""
                UPDATE workflow.jobs
                SET stage_timeout_at = stage_started_at + interval '300 seconds',
                    deadline_at = started_at + timeout_seconds * interval '1 second'
                WHERE started_at IS NOT NULL AND current_state IN ('Analyzing', 'Enhancing', 'Generating', 'Finalizing');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "deadline_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "deadline_token_id",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "stage_timeout_at",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "stage_timeout_token_id",
                schema: "workflow",
                table: "jobs");
        }
    }
}
