using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Attendance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AttendanceRegisters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    LessonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                    TakenById = table.Column<Guid>(type: "uuid", nullable: false),
                    TakenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttendanceRegisters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AttendanceRegisters_Groups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "Groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AttendanceRegisters_People_TakenById",
                        column: x => x.TakenById,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AttendanceRegisters_Schools_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Schools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AttendanceRegisters_TimetableLessons_LessonId",
                        column: x => x.LessonId,
                        principalTable: "TimetableLessons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AttendanceMarks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RegisterId = table.Column<Guid>(type: "uuid", nullable: false),
                    PupilId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<int>(type: "integer", nullable: true),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    JustifiedById = table.Column<Guid>(type: "uuid", nullable: true),
                    JustifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DocumentStorageName = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    DocumentFileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DocumentContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Decision = table.Column<int>(type: "integer", nullable: true),
                    DecisionComment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    DecidedById = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttendanceMarks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AttendanceMarks_AttendanceRegisters_RegisterId",
                        column: x => x.RegisterId,
                        principalTable: "AttendanceRegisters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AttendanceMarks_People_PupilId",
                        column: x => x.PupilId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AttendanceMarks_PupilId",
                table: "AttendanceMarks",
                column: "PupilId");

            migrationBuilder.CreateIndex(
                name: "IX_AttendanceMarks_RegisterId_PupilId",
                table: "AttendanceMarks",
                columns: new[] { "RegisterId", "PupilId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AttendanceRegisters_GroupId",
                table: "AttendanceRegisters",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_AttendanceRegisters_LessonId_Date",
                table: "AttendanceRegisters",
                columns: new[] { "LessonId", "Date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AttendanceRegisters_SchoolId_Date",
                table: "AttendanceRegisters",
                columns: new[] { "SchoolId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_AttendanceRegisters_TakenById",
                table: "AttendanceRegisters",
                column: "TakenById");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AttendanceMarks");

            migrationBuilder.DropTable(
                name: "AttendanceRegisters");
        }
    }
}
