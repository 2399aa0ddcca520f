using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderFarm.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OpenImagesIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "images")
                .Annotation("Npgsql:StorageParameter:autovacuum_analyze_scale_factor", 0.02)
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_scale_factor", 0.02);

            migrationBuilder.CreateIndex(
                name: "IX_images_JobId_Status_Index",
                table: "images",
                columns: new[] { "JobId", "Status", "Index" },
                filter: "\"Status\" IN ('Pending', 'Dispatched')");

            migrationBuilder.DropIndex(
                name: "IX_images_JobId_Status",
                table: "images");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_JobId_Status_Index",
                table: "images");

            migrationBuilder.AlterTable(
                name: "images")
                .OldAnnotation("Npgsql:StorageParameter:autovacuum_analyze_scale_factor", 0.02)
                .OldAnnotation("Npgsql:StorageParameter:autovacuum_vacuum_scale_factor", 0.02);

            migrationBuilder.CreateIndex(
                name: "IX_images_JobId_Status",
                table: "images",
                columns: new[] { "JobId", "Status" });
        }
    }
}
