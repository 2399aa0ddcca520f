using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BatchSpine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "EngineMillisecondsPerImage",
                table: "workers",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_images_FinishedAt",
                table: "images",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_images_Status_DispatchedAt",
                table: "images",
                columns: new[] { "Status", "DispatchedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_FinishedAt",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_Status_DispatchedAt",
                table: "images");

            migrationBuilder.DropColumn(
                name: "EngineMillisecondsPerImage",
                table: "workers");
        }
    }
}
