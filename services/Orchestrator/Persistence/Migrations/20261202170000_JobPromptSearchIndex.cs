using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <summary>
    /// The Gateway's text search (<c>input ->> 'basePrompt' ILIKE '%…%'</c>, the jobs page and <c>GET /api/jobs?q=</c>):
    /// a trigram index, so a word that few jobs (or none) contain is found through the index instead of by reading the
    /// whole table (bench/results/jobs-table-*.md). Its cost lands on the submission only: the prompt never changes, so
    /// the saga's later updates stay heap-only (HOT) and never touch it, and a GIN index's fast update puts each new entry
    /// in its pending list, merged in bulk by autovacuum. pg_trgm is a trusted extension: the database's owner creates it.
    /// </summary>
    public partial class JobPromptSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql(
                "CREATE INDEX IF NOT EXISTS ix_jobs_base_prompt_trgm ON workflow.jobs USING gin ((input ->> 'basePrompt') gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS workflow.ix_jobs_base_prompt_trgm;");
        }
    }
}
