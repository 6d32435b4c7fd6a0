using Microsoft.Extensions.Primitives;

namespace Preau.Web.Shared.Http;

/// <summary>
/// RFC 9110 §9.3.2: a server that answers GET answers HEAD too. Razor Pages and static files already do;
/// minimal-API endpoints list their methods, so once every endpoint is mapped, each one that answers GET
/// also answers HEAD with the same handler (the server sends the headers and drops the body). An endpoint
/// that maps HEAD itself on the same route keeps it.
/// </summary>
internal static class HeadRequests
{
    public static WebApplication AnswerHeadWhereGet(this WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var wrapped = sources.Select(s => (EndpointDataSource)new HeadForGetDataSource(s)).ToList();
        sources.Clear();
        foreach (var source in wrapped)
        {
            sources.Add(source);
        }

        return app;
    }

    private sealed class HeadForGetDataSource(EndpointDataSource inner) : EndpointDataSource
    {
        public override IReadOnlyList<Endpoint> Endpoints => AddHead(inner.Endpoints);

        public override IReadOnlyList<Endpoint> GetGroupedEndpoints(RouteGroupContext context) => AddHead(inner.GetGroupedEndpoints(context));

        public override IChangeToken GetChangeToken() => inner.GetChangeToken();

        private static List<Endpoint> AddHead(IReadOnlyList<Endpoint> endpoints)
        {
            var headRoutes = endpoints.OfType<RouteEndpoint>()
                .Where(e => Methods(e).Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
                .Select(e => e.RoutePattern.RawText).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return [.. endpoints.Select(e => e is RouteEndpoint route && NeedsHead(route, headRoutes) ? WithHead(route) : e)];
        }

        private static bool NeedsHead(RouteEndpoint endpoint, HashSet<string?> headRoutes)
        {
            var methods = Methods(endpoint);
            return methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
                && !methods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase)
                && !headRoutes.Contains(endpoint.RoutePattern.RawText)
                && endpoint.RequestDelegate is not null;
        }

        private static IReadOnlyList<string> Methods(RouteEndpoint endpoint) =>
            endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];

        private static RouteEndpoint WithHead(RouteEndpoint endpoint)
        {
            var metadata = endpoint.Metadata.Select(m => m is IHttpMethodMetadata http
                ? new HttpMethodMetadata([.. http.HttpMethods, HttpMethods.Head], http.AcceptCorsPreflight)
                : m);
            return new RouteEndpoint(endpoint.RequestDelegate!, endpoint.RoutePattern, endpoint.Order,
                new EndpointMetadataCollection(metadata), endpoint.DisplayName);
        }
    }
}

/// <summary>HEAD answers like GET: the OpenAPI document lists the GET operation only (one operationId each).</summary>
internal static class HeadOperations
{
    public static Task DropAsync(Microsoft.OpenApi.OpenApiDocument document, Microsoft.AspNetCore.OpenApi.OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var item in document.Paths.Values)
        {
            item.Operations?.Remove(HttpMethod.Head);
        }

        return Task.CompletedTask;
    }
}
