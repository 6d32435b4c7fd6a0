using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "TimetableLessons",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1272537022464000000L); // 1970-01-01T00:00Z: written before it was recorded

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "TimetableChanges",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "TimetableChanges",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1272537022464000000L); // 1970-01-01T00:00Z: written before it was recorded

            migrationBuilder.AddColumn<string>(
                name: "ProtectedToken",
                table: "CalendarFeeds",
                type: "TEXT",
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
