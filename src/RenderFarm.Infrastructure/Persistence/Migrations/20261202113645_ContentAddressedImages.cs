using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ContentAddressedImages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RenderKey",
                table: "images",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Reused",
                table: "images",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_images_ObjectKey",
                table: "images",
                column: "ObjectKey");

            migrationBuilder.CreateIndex(
                name: "IX_images_StudioId_RenderKey",
                table: "images",
                columns: new[] { "StudioId", "RenderKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_ObjectKey",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_StudioId_RenderKey",
                table: "images");

            migrationBuilder.DropColumn(
                name: "RenderKey",
                table: "images");

            migrationBuilder.DropColumn(
                name: "Reused",
                table: "images");
        }
    }
}
