using Microsoft.Playwright;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>
/// The real Préau app on Kestrel (127.0.0.1, a free port) driven by Debian's headless Chromium
/// through Playwright. No browser download: the executable comes from PREAU_TEST_CHROMIUM.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private BrowserSession(PreauAppFactory app, IPlaywright playwright, IBrowser browser, Uri baseAddress)
    {
        App = app;
        _playwright = playwright;
        Browser = browser;
        BaseAddress = baseAddress;
    }

    public PreauAppFactory App { get; }
    public IBrowser Browser { get; }
    public Uri BaseAddress { get; }

    public static async Task<BrowserSession> StartAsync(PreauAppFactory app)
    {
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();
        return await LaunchAsync(app, client.BaseAddress ?? throw new InvalidOperationException("Kestrel gave no address."));
    }

    /// <summary>A browser for an app the test already started (for example over HTTPS with its own certificate,
    /// which the browser then accepts).</summary>
    public static async Task<BrowserSession> LaunchAsync(PreauAppFactory app, Uri baseAddress)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PREAU_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Timeout = 30_000,
            // Closed network here: background services would only fail and slow the start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return new BrowserSession(app, playwright, browser, baseAddress);
    }

    /// <summary>A fresh browser profile (its own cookies) as a phone-sized window.</summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            JavaScriptEnabled = javaScript,
            Locale = "fr-FR",
            IgnoreHTTPSErrors = BaseAddress.Scheme == Uri.UriSchemeHttps,
        });
        // Generous: CI runs the browser tests beside hundreds of others on two cores, and every
        // sign-in is a real Argon2id hash.
        context.SetDefaultTimeout(45_000);
        context.SetDefaultNavigationTimeout(45_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real login page.</summary>
    public async Task<IPage> SignInAsync(string login, string password = TestSchools.Password, bool javaScript = true)
    {
        var page = await NewPageAsync(javaScript);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant").FillAsync(login);
        await page.GetByLabel("Mot de passe").FillAsync(password);
        await ClickThenWaitForNextPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }));
        return page;
    }

    /// <summary>
    /// Clicks a button that loads another page and returns once that page is parsed. Not WaitForLoadStateAsync after
    /// the click: Playwright checks the load state and then subscribes to its event, and on a busy machine the new
    /// page's DOMContentLoaded fell between the two, so the wait timed out with the page long loaded (full CI runs).
    /// The old page is marked before the click; the wait polls until a page without the mark is parsed.
    /// </summary>
    public static async Task ClickThenWaitForNextPageAsync(IPage page, ILocator button)
    {
        await page.EvaluateAsync("() => { window.__preauBeforeClick = true; }");
        await button.ClickAsync();
        await page.WaitForFunctionAsync("() => !window.__preauBeforeClick && document.readyState !== 'loading'", null,
            new PageWaitForFunctionOptions { PollingInterval = 100 });
    }

    /// <summary>
    /// Waits until the page is at an address <paramref name="at"/> accepts and that page is parsed, by polling: once
    /// the address matches, WaitForURLAsync waits for a load state the way that raced (see
    /// <see cref="ClickThenWaitForNextPageAsync"/>), with JavaScript on or off. Playwright's polling runs even in a
    /// page whose own scripts are disabled.
    /// </summary>
    public static async Task WaitForPageAsync(IPage page, Func<string, bool> at)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!at(page.Url))
        {
            if (waited.Elapsed > s_patience)
            {
                throw new TimeoutException($"The page stayed at {page.Url}.");
            }

            await Task.Delay(100);
        }

        await page.WaitForFunctionAsync("() => document.readyState !== 'loading'", null, new PageWaitForFunctionOptions { PollingInterval = 100 });
    }

    /// <summary>The same patience as the contexts' default timeout.</summary>
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(45);

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
