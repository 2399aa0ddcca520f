using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ModelCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Catalog",
                table: "workers",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "DeviceClass",
                table: "workers",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeviceMemoryBytes",
                table: "workers",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "Labels",
                table: "workers",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<List<string>>(
                name: "RequiredLabels",
                table: "jobs",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Catalog",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "DeviceClass",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "DeviceMemoryBytes",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "Labels",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "RequiredLabels",
                table: "jobs");
        }
    }
}
