using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Workflow.Orchestrator.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "workflow");

            migrationBuilder.CreateTable(
                name: "consumption_pauses",
                schema: "workflow",
                columns: table => new
                {
                    queue = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    job_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    paused_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    paused_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_consumption_pauses", x => new { x.queue, x.job_type });
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                schema: "workflow",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    current_state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    priority = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    input = table.Column<string>(type: "jsonb", nullable: false),
                    max_retries = table.Column<int>(type: "integer", nullable: false),
                    timeout_seconds = table.Column<int>(type: "integer", nullable: false),
                    callback_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    retry_count = table.Column<int>(type: "integer", nullable: false),
                    progress_current = table.Column<int>(type: "integer", nullable: false),
                    progress_total = table.Column<int>(type: "integer", nullable: false),
                    progress_percent = table.Column<int>(type: "integer", nullable: false),
                    progress_message = table.Column<string>(type: "text", nullable: false),
                    combinations = table.Column<string>(type: "jsonb", nullable: true),
                    score = table.Column<string>(type: "jsonb", nullable: true),
                    prompts = table.Column<string>(type: "jsonb", nullable: true),
                    images = table.Column<string>(type: "jsonb", nullable: true),
                    statistics = table.Column<string>(type: "jsonb", nullable: true),
                    manifest_blob_key = table.Column<string>(type: "text", nullable: true),
                    errors = table.Column<string>(type: "jsonb", nullable: false),
                    history = table.Column<string>(type: "jsonb", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    fault_stage = table.Column<string>(type: "text", nullable: true),
                    fault_reason = table.Column<string>(type: "text", nullable: true),
                    stage_started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    stage_timeout_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    deadline_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    resume_state = table.Column<string>(type: "text", nullable: true),
                    unique_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    run_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    dependencies = table.Column<string>(type: "jsonb", nullable: true),
                    watchers = table.Column<string>(type: "jsonb", nullable: false),
                    parent_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    schedule_id = table.Column<Guid>(type: "uuid", nullable: true),
                    batch_items = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "workflow",
                columns: table => new
                {
                    sequence_number = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    initiator_id = table.Column<Guid>(type: "uuid", nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_address = table.Column<string>(type: "text", nullable: true),
                    destination_address = table.Column<string>(type: "text", nullable: true),
                    response_address = table.Column<string>(type: "text", nullable: true),
                    fault_address = table.Column<string>(type: "text", nullable: true),
                    sent_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expiration_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    content_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    message_type = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    headers_json = table.Column<string>(type: "jsonb", nullable: true),
                    properties_json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.sequence_number);
                });

            migrationBuilder.CreateTable(
                name: "schedules",
                schema: "workflow",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    overlap = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    misfire = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    template = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_run_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    runs = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false),
                    queued = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_created_at",
                schema: "workflow",
                table: "jobs",
                column: "created_at");

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
                name: "IX_jobs_owner_created_at",
                schema: "workflow",
                table: "jobs",
                columns: new[] { "owner", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_owner_unique_key_created_at",
                schema: "workflow",
                table: "jobs",
                columns: new[] { "owner", "unique_key", "created_at" },
                filter: "unique_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_stage_timeout_at",
                schema: "workflow",
                table: "jobs",
                column: "stage_timeout_at",
                filter: "stage_timeout_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_created_at",
                schema: "workflow",
                table: "outbox_messages",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_schedules_last_job_id",
                schema: "workflow",
                table: "schedules",
                column: "last_job_id");

            migrationBuilder.CreateIndex(
                name: "IX_schedules_owner_created_at",
                schema: "workflow",
                table: "schedules",
                columns: new[] { "owner", "created_at" });

            // Search by prompt text (the Gateway's q=): a trigram index over the base prompt.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX ix_jobs_base_prompt_trgm ON workflow.jobs USING gin ((input ->> 'basePrompt') gin_trgm_ops);");

            // The durable scheduler's schema: Quartz creates its tables in it at start-up.
            migrationBuilder.Sql($"CREATE SCHEMA IF NOT EXISTS {Workflow.Orchestrator.MessageScheduler.MessageSchedulerExtensions.SchemaName};");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"DROP SCHEMA IF EXISTS {Workflow.Orchestrator.MessageScheduler.MessageSchedulerExtensions.SchemaName} CASCADE;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS workflow.ix_jobs_base_prompt_trgm;");

            migrationBuilder.DropTable(
                name: "consumption_pauses",
                schema: "workflow");

            migrationBuilder.DropTable(
                name: "jobs",
                schema: "workflow");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "workflow");

            migrationBuilder.DropTable(
                name: "schedules",
                schema: "workflow");
        }
    }
}
