using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ScheduleId",
                table: "jobs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ScheduledFor",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PromptTemplates = table.Column<List<string>>(type: "text[]", nullable: false),
                    Variations = table.Column<int>(type: "integer", nullable: false),
                    Lists = table.Column<string>(type: "text", nullable: false),
                    JobTemplate = table.Column<string>(type: "text", nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    Firings = table.Column<long>(type: "bigint", nullable: false),
                    LastFiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedules", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_ScheduleId_ScheduledFor",
                table: "jobs",
                columns: new[] { "ScheduleId", "ScheduledFor" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_schedules_Name",
                table: "schedules",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schedules");

            migrationBuilder.DropIndex(
                name: "IX_jobs_ScheduleId_ScheduledFor",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "ScheduleId",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "ScheduledFor",
                table: "jobs");
        }
    }
}
