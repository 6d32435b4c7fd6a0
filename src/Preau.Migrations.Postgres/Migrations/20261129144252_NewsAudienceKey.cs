using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class NewsAudienceKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "Id",
                table: "NewsAudiences",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Rows written before this migration get their own id before it becomes the key.
            migrationBuilder.Sql("UPDATE \"NewsAudiences\" SET \"Id\" = gen_random_uuid()");

            migrationBuilder.DropPrimaryKey(
                name: "PK_NewsAudiences",
                table: "NewsAudiences");

            migrationBuilder.AddPrimaryKey(
                name: "PK_NewsAudiences",
                table: "NewsAudiences",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_NewsAudiences_NewsId",
                table: "NewsAudiences",
                column: "NewsId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_NewsAudiences",
                table: "NewsAudiences");

            migrationBuilder.DropIndex(
                name: "IX_NewsAudiences_NewsId",
                table: "NewsAudiences");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "NewsAudiences");

            migrationBuilder.AddPrimaryKey(
                name: "PK_NewsAudiences",
                table: "NewsAudiences",
                columns: new[] { "NewsId", "Kind", "TargetId" });
        }
    }
}
