using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SessionAndDeviceExpiryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ServerSessions_ExpiresAt",
                table: "ServerSessions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_RememberedDevices_CreatedAt",
                table: "RememberedDevices",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ServerSessions_ExpiresAt",
                table: "ServerSessions");

            migrationBuilder.DropIndex(
                name: "IX_RememberedDevices_CreatedAt",
                table: "RememberedDevices");
        }
    }
}
