using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <summary>
    /// <c>workflow.job_view</c>: the Gateway's contract with the saga's table, which it reads by column name and never
    /// writes. A plain projection of <c>workflow.jobs</c> (PostgreSQL inlines it, so the table's indexes serve its
    /// queries); the saga may change its table as long as the view keeps these columns and their meaning. A later
    /// migration that alters a column the view shows drops and recreates the view around it.
    /// </summary>
    public partial class JobView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE VIEW workflow.job_view AS
                SELECT id, current_state, type, priority, owner, input, max_retries, retry_count,
                       progress_current, progress_total, progress_percent, progress_message,
                       combinations, score, images, statistics, errors, history,
                       created_at, started_at, completed_at, fault_stage, fault_reason, batch_items,
                       unique_key, timeout_seconds, callback_url, run_at, dependencies, attempt,
                       -- The sequence of the last event the row includes: while Generating, the saga has already taken the
                       -- numbers of the stage's image progress events (one per image, published by the ImageGenerator),
                       -- which the row does not hold.
                       CASE WHEN current_state = 'Generating' THEN sequence - progress_total ELSE sequence END AS sequence
                FROM workflow.jobs;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW workflow.job_view;");
        }
    }
}
