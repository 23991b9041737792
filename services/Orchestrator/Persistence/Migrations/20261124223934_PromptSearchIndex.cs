using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PromptSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // GET /api/jobs?q= searches the base prompt by substring (ILIKE): a trigram index serves it.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX ix_jobs_base_prompt_trgm ON workflow.jobs USING gin ((input ->> 'basePrompt') gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS workflow.ix_jobs_base_prompt_trgm;");
        }
    }
}
