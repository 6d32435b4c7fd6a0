using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using StackExchange.Redis;

namespace Preau.Web.Infrastructure;

/// <summary>
/// Nothing typed is lost when a session expires: a form posted without a valid session is kept
/// (in memory, two hours, bounded) before the sign-in redirect, and the same page, opened again
/// after signing in, comes back filled with it and says why. Files are not kept (they would have
/// to be uploaded again). In a region the form is also kept in Redis (same two hours), since the
/// sign-in and the page opened again may be served by other nodes; without Redis, memory only.
/// </summary>
internal sealed class KeptForms(CacheBus bus, ILogger<KeptForms> log) : IDisposable
{
    public const string Cookie = "preau-saisie";
    public const string NoticeKey = "KeptFormNotice";
    private const int MaxCharsPerForm = 100_000;

    private static readonly TimeSpan s_lifetime = TimeSpan.FromHours(2);
    private readonly MemoryCache _forms = new(new MemoryCacheOptions { SizeLimit = 8_000_000 });

    private sealed record Kept(string Path, Dictionary<string, StringValues> Fields);

    /// <summary>Keeps the form of a page POST that is being sent to the sign-in page.</summary>
    public async Task KeepAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType || request.IsApiRequest())
        {
            return;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return;
        }

        var fields = form.Where(f => f.Key != "__RequestVerificationToken").ToDictionary(f => f.Key, f => f.Value);
        var size = fields.Sum(f => f.Key.Length + f.Value.Sum(v => v?.Length ?? 0));
        if (fields.Count == 0 || size > MaxCharsPerForm)
        {
            return;
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var kept = new Kept(request.Path, fields);
        _forms.Set(token, kept, new MemoryCacheEntryOptions { Size = Math.Max(1, size), AbsoluteExpirationRelativeToNow = s_lifetime });
        if (bus.Database is { } redis)
        {
            var json = JsonSerializer.Serialize(new SharedForm(kept.Path, fields.ToDictionary(f => f.Key, f => f.Value.ToArray())));
            try
            {
                await redis.StringSetAsync(RedisKey(token), json, s_lifetime);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                log.LogWarning("Form kept on this node only, Redis unreachable ({Error}).", e.Message);
            }
        }

        http.Response.Cookies.Append(Cookie, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = request.IsHttps, IsEssential = true, Path = "/",
            MaxAge = TimeSpan.FromHours(2),
        });
    }

    /// <summary>The kept form of this page for this browser, taken once.</summary>
    public async Task<IValueProvider?> TakeAsync(HttpContext http)
    {
        if (http.Request.Cookies[Cookie] is not { } token || await FindAsync(token) is not { } kept
            || !string.Equals(kept.Path, http.Request.Path, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        _forms.Remove(token);
        if (bus.Database is { } redis)
        {
            _ = redis.KeyDeleteAsync(RedisKey(token), CommandFlags.FireAndForget);
        }

        http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });
        return new FormValueProvider(BindingSource.Form, new FormCollection(kept.Fields), CultureInfo.InvariantCulture);
    }

    private async Task<Kept?> FindAsync(string token)
    {
        if (_forms.TryGetValue(token, out Kept? kept) && kept is not null)
        {
            return kept;
        }

        if (bus.Database is not { } redis || token.Length != 32)
        {
            return null;
        }

        try
        {
            var json = await redis.StringGetAsync(RedisKey(token));
            var shared = json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<SharedForm>((string)json!);
            return shared is null ? null : new Kept(shared.Path, shared.Fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            return null;
        }
    }

    private static string RedisKey(string token) => "preau:kept-form:" + token;

    private sealed record SharedForm(string Path, Dictionary<string, string?[]> Fields);

    public void Dispose() => _forms.Dispose();
}

/// <summary>On a signed-in GET of a page with a kept form, binds the kept fields into the page's
/// bound properties after its handler has set the defaults, so the form shows what was typed.</summary>
internal sealed class KeptFormFilter(KeptForms forms, ParameterBinder binder, IModelBinderFactory binders, IModelMetadataProvider metadata)
    : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) || http.User.Identity?.IsAuthenticated != true || executed.Exception is not null
            || !http.Request.Cookies.ContainsKey(KeptForms.Cookie) || await forms.TakeAsync(http) is not { } values)
        {
            return;
        }

        var page = context.HandlerInstance;
        foreach (var property in context.ActionDescriptor.BoundProperties.OfType<PageBoundPropertyDescriptor>())
        {
            if (property.ParameterType == typeof(IFormFile))
            {
                continue;
            }

            var meta = metadata.GetMetadataForProperty(page.GetType(), property.Property.Name);
            // [BindProperty] binds on POST only (its request predicate): this GET replays a POST.
            var info = property.BindingInfo is { } bound ? new BindingInfo(bound) { RequestPredicate = null } : null;
            var replayed = new ParameterDescriptor { Name = property.Name, ParameterType = property.ParameterType, BindingInfo = info };
            var modelBinder = binders.CreateBinder(new ModelBinderFactoryContext { BindingInfo = info, Metadata = meta, CacheToken = property });
            var result = await binder.BindModelAsync(context, modelBinder, values, replayed, meta, value: null, container: page);
            if (result.IsModelSet)
            {
                property.Property.SetValue(page, result.Model);
            }
        }

        // What was typed comes back as typed: checking it again is the author's next step, not an error.
        foreach (var entry in context.ModelState.Values)
        {
            entry.Errors.Clear();
            entry.ValidationState = ModelValidationState.Valid;
        }

        if (context.HandlerInstance is Microsoft.AspNetCore.Mvc.RazorPages.PageModel model)
        {
            model.ViewData[KeptForms.NoticeKey] = true;
        }
    }
}
