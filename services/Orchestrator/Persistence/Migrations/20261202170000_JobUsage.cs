using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <summary>
    /// <c>workflow.jobs.usage</c>: what a job asked of providers and what it cost, written with the row the saga saves
    /// anyway; <c>workflow.job_view</c> shows it as its last column (a view may gain columns at its end in place).
    /// </summary>
    public partial class JobUsage : Migration
    {
        const string ViewColumns =
            """
            SELECT id, current_state, type, priority, owner, input, max_retries, retry_count,
                   progress_current, progress_total, progress_percent, progress_message,
                   combinations, score, images, statistics, errors, history,
                   created_at, started_at, completed_at, fault_stage, fault_reason, batch_items,
                   unique_key, timeout_seconds, callback_url, run_at, dependencies, attempt,
                   CASE WHEN current_state = 'Generating' THEN sequence - progress_total ELSE sequence END AS sequence
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "usage",
                schema: "workflow",
                table: "jobs",
                type: "jsonb",
                nullable: true);
            migrationBuilder.Sql($"CREATE OR REPLACE VIEW workflow.job_view AS {ViewColumns}, usage FROM workflow.jobs;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"DROP VIEW workflow.job_view; CREATE VIEW workflow.job_view AS {ViewColumns} FROM workflow.jobs;");
            migrationBuilder.DropColumn(
                name: "usage",
                schema: "workflow",
                table: "jobs");
        }
    }
}
