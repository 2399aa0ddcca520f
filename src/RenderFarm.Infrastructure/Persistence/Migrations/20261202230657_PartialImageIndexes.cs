using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartialImageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_Status_DispatchedAt",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_StudioId_RenderKey",
                table: "images");

            migrationBuilder.CreateIndex(
                name: "IX_images_DispatchedAt",
                table: "images",
                column: "DispatchedAt",
                filter: "\"Status\" = 'Dispatched'");

            migrationBuilder.CreateIndex(
                name: "IX_images_StudioId_RenderKey",
                table: "images",
                columns: new[] { "StudioId", "RenderKey" },
                filter: "\"Status\" = 'Rendered' AND NOT \"Reused\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_DispatchedAt",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_StudioId_RenderKey",
                table: "images");

            migrationBuilder.CreateIndex(
                name: "IX_images_Status_DispatchedAt",
                table: "images",
                columns: new[] { "Status", "DispatchedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_images_StudioId_RenderKey",
                table: "images",
                columns: new[] { "StudioId", "RenderKey" });
        }
    }
}
