using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkerEngineSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EngineSlots",
                table: "workers",
                type: "integer",
                nullable: false,
                // Workers recorded before this ran one batch at a time in their engine.
                defaultValue: 1);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EngineSlots",
                table: "workers");
        }
    }
}
