using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Dependencies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "dependencies",
                schema: "workflow",
                table: "jobs",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "watchers",
                schema: "workflow",
                table: "jobs",
                type: "jsonb",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "dependencies",
                schema: "workflow",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "watchers",
                schema: "workflow",
                table: "jobs");
        }
    }
}
