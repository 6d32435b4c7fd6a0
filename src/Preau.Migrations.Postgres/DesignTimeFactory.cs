using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Preau.Data;

namespace Preau.Migrations.Postgres;

/// <summary>Used only by <c>dotnet ef migrations add</c>; the app configures the context itself.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PreauDbContext>
{
    public PreauDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PreauDbContext>()
            .UseNpgsql("Host=localhost;Database=preau_design", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
