using Microsoft.EntityFrameworkCore.Migrations;
using Workflow.Orchestrator.Scheduling;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <summary>
    /// The durable scheduler's own schema. Quartz creates its tables in it at start-up, from the script that
    /// matches the Quartz version in use, so the tables never drift from what that version reads.
    /// </summary>
    public partial class Scheduler : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql($"CREATE SCHEMA IF NOT EXISTS {SchedulingExtensions.SchemaName};");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql($"DROP SCHEMA IF EXISTS {SchedulingExtensions.SchemaName} CASCADE;");
    }
}
