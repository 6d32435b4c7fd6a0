using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SchoolImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ValidFrom",
                table: "TimetableLessons",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ValidTo",
                table: "TimetableLessons",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ActivationResets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedById = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivationResets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivationResets_People_IssuedById",
                        column: x => x.IssuedById,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ActivationResets_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ActivationResets_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportedPeople",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    NationalId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: true),
                    DeactivatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportedPeople", x => x.PersonId);
                    table.ForeignKey(
                        name: "FK_ImportedPeople_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ImportedPeople_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivationResets_IssuedById",
                table: "ActivationResets",
                column: "IssuedById");

            migrationBuilder.CreateIndex(
                name: "IX_ActivationResets_PersonId",
                table: "ActivationResets",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivationResets_SchoolId_IssuedAt",
                table: "ActivationResets",
                columns: new[] { "SchoolId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportedPeople_SchoolId_ExternalId",
                table: "ImportedPeople",
                columns: new[] { "SchoolId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportedPeople_SchoolId_NationalId",
                table: "ImportedPeople",
                columns: new[] { "SchoolId", "NationalId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivationResets");

            migrationBuilder.DropTable(
                name: "ImportedPeople");

            migrationBuilder.DropColumn(
                name: "ValidFrom",
                table: "TimetableLessons");

            migrationBuilder.DropColumn(
                name: "ValidTo",
                table: "TimetableLessons");
        }
    }
}
