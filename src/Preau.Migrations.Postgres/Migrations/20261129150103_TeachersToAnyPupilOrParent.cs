using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TeachersToAnyPupilOrParent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "TeachersToAnyPupilOrParent",
                table: "CommunicationRules",
                type: "boolean",
                nullable: false,
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TeachersToAnyPupilOrParent",
                table: "CommunicationRules");
        }
    }
}
