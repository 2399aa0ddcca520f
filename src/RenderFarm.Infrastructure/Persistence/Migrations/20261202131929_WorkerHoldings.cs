using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkerHoldings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<Guid>>(
                name: "Holding",
                table: "workers",
                type: "uuid[]",
                nullable: false,
                // Rows of workers seen before this migration hold nothing known.
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<int>(
                name: "HoldingCapacity",
                table: "workers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HoldingReportedAt",
                table: "workers",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Holding",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "HoldingCapacity",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "HoldingReportedAt",
                table: "workers");
        }
    }
}
