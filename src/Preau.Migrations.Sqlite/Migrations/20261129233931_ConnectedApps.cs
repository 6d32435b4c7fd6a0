using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConnectedApps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConnectedApps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Protocol = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ClientSecretHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RedirectUris = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    PostLogoutRedirectUris = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    LogoutUri = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LaunchUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ReleasedClaims = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AllowedProfiles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConnectedApps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AppSignIns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AppId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppSignIns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AppSignIns_ConnectedApps_AppId",
                        column: x => x.AppId,
                        principalTable: "ConnectedApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AppSubjects",
                columns: table => new
                {
                    AppId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppSubjects", x => new { x.AppId, x.PersonId });
                    table.ForeignKey(
                        name: "FK_AppSubjects_ConnectedApps_AppId",
                        column: x => x.AppId,
                        principalTable: "ConnectedApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AppSubjects_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AppSignIns_AppId_Reference",
                table: "AppSignIns",
                columns: new[] { "AppId", "Reference" });

            migrationBuilder.CreateIndex(
                name: "IX_AppSignIns_SessionId",
                table: "AppSignIns",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_AppSubjects_AppId_Subject",
                table: "AppSubjects",
                columns: new[] { "AppId", "Subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AppSubjects_PersonId",
                table: "AppSubjects",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_ConnectedApps_ClientId",
                table: "ConnectedApps",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConnectedApps_RegionId",
                table: "ConnectedApps",
                column: "RegionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppSignIns");

            migrationBuilder.DropTable(
                name: "AppSubjects");

            migrationBuilder.DropTable(
                name: "ConnectedApps");
        }
    }
}
