using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Preau.Data;

namespace Preau.Migrations.Sqlite;

/// <summary>Used only by <c>dotnet ef migrations add</c>; the app configures the context itself.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PreauDbContext>
{
    public PreauDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PreauDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
