using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CalendarFeedSecret : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "TimetableLessons",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "TimetableLessons",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: DateTimeOffset.UnixEpoch); // written before it was recorded

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "TimetableChanges",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "TimetableChanges",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: DateTimeOffset.UnixEpoch); // written before it was recorded

            migrationBuilder.AddColumn<string>(
                name: "ProtectedToken",
                table: "CalendarFeeds",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Revision",
                table: "TimetableLessons");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "TimetableLessons");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "TimetableChanges");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "TimetableChanges");

            migrationBuilder.DropColumn(
                name: "ProtectedToken",
                table: "CalendarFeeds");
        }
    }
}
