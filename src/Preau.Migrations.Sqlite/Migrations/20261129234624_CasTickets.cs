using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CasTickets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CasTickets",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AppId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CasTickets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CasTickets_ConnectedApps_AppId",
                        column: x => x.AppId,
                        principalTable: "ConnectedApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CasTickets_AppId",
                table: "CasTickets",
                column: "AppId");

            migrationBuilder.CreateIndex(
                name: "IX_CasTickets_ExpiresAt",
                table: "CasTickets",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CasTickets");
        }
    }
}
