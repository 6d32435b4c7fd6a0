using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Preau.Surge.Accounts;
using Preau.Surge.Measurement;

namespace Preau.Surge.Journey;

/// <summary>
/// One person on a closure morning: arrives at the scheduled time, waits in the gate when told,
/// signs in, looks at what a person of that profile looks at, with pauses between steps. It owns
/// its cookies; connections are shared (see <see cref="Running.SurgeRunner"/>).
/// </summary>
internal sealed class VirtualUser(HttpMessageInvoker http, SurgeSettings settings, RunRecorder recorder, SeedAccount account, int userIndex)
{
    private enum StepResult
    {
        Ok,
        Skipped,
        Failed,
        Abandoned,
    }

    private static readonly string[] ForwardedHeaders = ["Retry-After", GateParser.HeaderName, GateParser.TicketHeaderName, "Location"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly CookieContainer _cookies = new();
    private readonly Random _random = new(HashCode.Combine(settings.Seed, userIndex));
    private string? _gateTicket;
    private bool _sawErrorPage;
    private bool _admitted;
    private bool _etaRecorded;
    private HttpAnswer? _last;

    public async Task RunAsync(TimeSpan arrival, CancellationToken runToken)
    {
        recorder.UserArrived(arrival);
        var outcome = JourneyOutcome.Abandoned;
        try
        {
            outcome = await JourneyAsync(arrival, runToken);
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            outcome = JourneyOutcome.Abandoned;
        }
        finally
        {
            recorder.UserFinished(outcome, _sawErrorPage, arrival);
        }
    }

    private async Task<JourneyOutcome> JourneyAsync(TimeSpan arrival, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var steps = new List<Func<TimeSpan, Task<StepResult>>>
        {
            at => LoadAsync("1 accueil", HttpMethod.Get, "/", null, at, ct),
            async at =>
            {
                var result = await LoadAsync("2 connexion", HttpMethod.Post, "/api/v1/auth/login", new { login = account.Login, password = account.Password }, at, ct, notFoundIsError: true);
                if (result == StepResult.Ok)
                {
                    recorder.SignedIn();
                }

                return result;
            },
            at => LoadAsync("3 tableau de bord", HttpMethod.Get, "/", null, at, ct),
        };

        JsonElement? me = null;
        steps.Add(async at =>
        {
            var result = await LoadAsync("4 profil", HttpMethod.Get, "/api/v1/me", null, at, ct);
            if (result == StepResult.Ok)
            {
                me = TryParse(_last!.Body);
            }

            return result;
        });

        string? homeworkId = null, attachmentUrl = null;
        Func<TimeSpan, Task<StepResult>> Homework(string step, Func<string?> query) => async at =>
        {
            var q = query();
            if (q is null)
            {
                return Skip(step);
            }

            var result = await LoadAsync(step, HttpMethod.Get, $"/api/v1/homework?from={from}&to={to}{q}", null, at, ct);
            if (result == StepResult.Ok && TryParse(_last!.Body) is { } list)
            {
                (homeworkId, attachmentUrl) = FirstHomework(list);
            }

            return result;
        };

        Func<TimeSpan, Task<StepResult>> Attachment(string step) => at => attachmentUrl is null
            ? Task.FromResult(Skip(step))
            : LoadAsync(step, HttpMethod.Get, attachmentUrl, null, at, ct);

        switch (account.Profile)
        {
            case UserProfile.Pupil:
                steps.Add(Homework("5 devoirs", () => ""));
                steps.Add(Attachment("6 pièce jointe"));
                steps.Add(async at =>
                {
                    if (homeworkId is null)
                    {
                        return Skip("7 fait");
                    }

                    var result = await LoadAsync("7 fait", HttpMethod.Post, $"/api/v1/homework/{Uri.EscapeDataString(homeworkId)}/done", null, at, ct);
                    if (result == StepResult.Ok && me is { } m && IdOf(m) is { } pupil)
                    {
                        recorder.Acknowledged("tick", homeworkId + ":" + pupil);
                    }

                    return result;
                });
                break;
            case UserProfile.Parent:
                steps.Add(Homework("5 devoirs de l'enfant", () => FirstId(me, "children") is { } child ? "&studentId=" + Uri.EscapeDataString(child) : null));
                steps.Add(Attachment("6 pièce jointe"));
                break;
            case UserProfile.Teacher:
                steps.Add(async at =>
                {
                    if (FirstClass(me) is not { SubjectId: not null } cls)
                    {
                        return Skip("5 publier un devoir");
                    }

                    var result = await LoadAsync("5 publier un devoir", HttpMethod.Post, $"/api/v1/classes/{Uri.EscapeDataString(cls.Id)}/homework", new
                    {
                        title = "Exercices 4 à 7 page 112",
                        body = "Relire la leçon avant de commencer.",
                        subjectId = cls.SubjectId,
                        dueDate = today.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        estimatedMinutes = 30,
                    }, at, ct);
                    Acknowledge(result, "homework");
                    return result;
                });
                // A word to the class about the closure: the recipients offered, then the message to the first audience.
                string? audience = null;
                steps.Add(async at =>
                {
                    var result = await LoadAsync("6 destinataires", HttpMethod.Get, "/api/v1/messages/recipients", null, at, ct);
                    if (result == StepResult.Ok)
                    {
                        audience = FirstToken(TryParse(_last!.Body));
                    }

                    return result;
                });
                steps.Add(async at =>
                {
                    if (audience is null)
                    {
                        return Skip("7 message");
                    }

                    var result = await LoadAsync("7 message", HttpMethod.Post, "/api/v1/messages", new
                    {
                        to = new[] { audience },
                        subject = "Fermeture de l'établissement",
                        body = "Le travail de la semaine est dans le cahier de textes.",
                    }, at, ct);
                    Acknowledge(result, "message");
                    return result;
                });
                break;
            default:
                break;
        }

        // A shared phone is handed to a brother or sister: sign out, which also frees the place in the gate.
        // Some just close the page (--walk-away): their place frees when the gate finds them idle.
        if (_random.NextDouble() >= settings.WalkAwayShare)
        {
            steps.Add(at => LoadAsync("8 déconnexion", HttpMethod.Post, "/api/v1/auth/logout", null, at, ct));
        }

        var intended = arrival;
        for (var i = 0; i < steps.Count; i++)
        {
            if (i > 0)
            {
                // The next step is intended one think time after this answer; a late wake-up is charged to the step.
                var think = TimeSpan.FromTicks((long)(settings.ThinkTime.Ticks * (0.5 + _random.NextDouble())));
                intended = recorder.Now + think;
                await DelayUntilAsync(intended, ct);
            }

            switch (await steps[i](intended))
            {
                case StepResult.Failed:
                    return JourneyOutcome.Failed;
                case StepResult.Abandoned:
                    return JourneyOutcome.Abandoned;
                default:
                    break;
            }
        }

        return JourneyOutcome.Completed;
    }

    /// <summary>A write the server acknowledged: its id, from the answer, is checked in the database after the run.</summary>
    private void Acknowledge(StepResult result, string kind)
    {
        if (result == StepResult.Ok && TryParse(_last!.Body) is { } body && IdOf(body) is { } id)
        {
            recorder.Acknowledged(kind, id);
        }
    }

    private static string? FirstToken(JsonElement? recipients)
    {
        foreach (var list in new[] { "audiences", "people" })
        {
            if (recipients is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
                && items.GetArrayLength() > 0 && items[0].TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String)
            {
                return token.GetString();
            }
        }

        return null;
    }

    private StepResult Skip(string step)
    {
        recorder.Step(step).CountSkipped();
        return StepResult.Skipped;
    }

    private async Task DelayUntilAsync(TimeSpan at, CancellationToken ct)
    {
        var wait = at - recorder.Now;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait, ct);
        }
    }

    /// <summary>
    /// Loads one page or API call the way a person would: waits in the gate, obeys Retry-After,
    /// reloads when nothing comes back, gives up after <see cref="SurgeSettings.MaxReloads"/>.
    /// </summary>
    private async Task<StepResult> LoadAsync(string step, HttpMethod method, string path, object? body, TimeSpan intended, CancellationToken ct, bool notFoundIsError = false)
    {
        var stats = recorder.Step(step);
        var attempts = 0;
        var holds = 0;
        var attemptAt = intended;
        while (true)
        {
            if (ct.IsCancellationRequested)
            {
                return StepResult.Abandoned;
            }

            var (answer, failure) = await SendAsync(method, path, body, attemptAt, ct);
            var end = recorder.Now;
            if (failure is { } kind)
            {
                if (ct.IsCancellationRequested)
                {
                    return StepResult.Abandoned;
                }

                recorder.Error(step, kind);
                _sawErrorPage |= kind != ErrorKind.Timeout;
                if (++attempts > settings.MaxReloads)
                {
                    return StepResult.Abandoned;
                }

                // A timed-out person reloads at once and is still waiting for the same page, so the
                // step keeps its intended start; one facing a browser error page reads it, then starts over.
                if (kind != ErrorKind.Timeout)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    intended = recorder.Now;
                }

                attemptAt = recorder.Now;
                continue;
            }

            _last = answer!;
            if (GateParser.Detect(answer!) is { } gate)
            {
                recorder.Answer(step, intended, end, gateAnswer: true);
                if (gate.State == "held")
                {
                    // The login lane holds the sign-in: wait as told and send it again; a wait, not an error.
                    if (++holds > MaxHolds)
                    {
                        return StepResult.Abandoned;
                    }

                    await Task.Delay(Clamp(gate.Refresh), ct);
                    intended = attemptAt = recorder.Now;
                    continue;
                }

                if (!await WaitInGateAsync(gate, ct))
                {
                    return StepResult.Abandoned;
                }

                intended = attemptAt = recorder.Now;
                continue;
            }

            recorder.Answer(step, intended, end, gateAnswer: false);
            if (!_admitted)
            {
                _admitted = true;
                recorder.AdmittedWithoutQueue();
            }

            var code = answer!.Code;
            if (code == 404 && !notFoundIsError)
            {
                stats.CountSkipped();
                return StepResult.Skipped;
            }

            if (code is 429 or 503 || code >= 500)
            {
                var errorKind = code == 429 ? ErrorKind.TooManyRequests : code == 503 && answer.RetryAfter is not null ? ErrorKind.Busy : ErrorKind.ServerError;
                recorder.Error(step, errorKind);
                _sawErrorPage = true;
                if (++attempts > settings.MaxReloads)
                {
                    return StepResult.Abandoned;
                }

                await Task.Delay(Clamp(answer.RetryAfter ?? TimeSpan.FromSeconds(1)), ct);
                intended = attemptAt = recorder.Now;
                continue;
            }

            if (code >= 400)
            {
                recorder.Error(step, ErrorKind.Rejected);
                _sawErrorPage = true;
                return StepResult.Failed;
            }

            stats.CountOk();
            return StepResult.Ok;
        }
    }

    /// <summary>How many times one step may be held by the login lane before the person gives up.</summary>
    private const int MaxHolds = 100;

    /// <summary>Polls the gate's status at the pace it asks for, and keeps its first promise to compare with reality.</summary>
    private async Task<bool> WaitInGateAsync(GateSignal first, CancellationToken ct)
    {
        var queuedAt = recorder.Now;
        recorder.EnteredQueue();
        var admitted = false;
        try
        {
            (TimeSpan At, int Low, int High, long? Position)? promise = first.Promise is { } f ? (queuedAt, f.Low, f.High, first.Position) : null;
            var refresh = first.Refresh;
            var polls = 0;
            long? lastPosition = null;
            var positionLost = false;
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(Clamp(refresh), ct);
                var intended = recorder.Now;
                var (answer, failure) = await SendAsync(HttpMethod.Get, "/api/v1/gate/status", null, intended, ct);
                var now = recorder.Now;
                if (failure is { } kind)
                {
                    recorder.Error(Reporting.SummaryBuilder.GatePollStep, kind);
                    if (++polls > settings.MaxReloads * 10)
                    {
                        return false;
                    }

                    continue;
                }

                recorder.Answer(Reporting.SummaryBuilder.GatePollStep, intended, now, gateAnswer: false);
                if (answer!.Code == 404)
                {
                    // No status endpoint: the page itself will say again whether to wait.
                    admitted = true;
                    return true;
                }

                var status = GateParser.ParseStatus(answer.Body);
                if (status is null)
                {
                    recorder.Error(Reporting.SummaryBuilder.GatePollStep, answer.Code >= 500 ? ErrorKind.ServerError : ErrorKind.Rejected);
                    refresh = answer.RetryAfter ?? TimeSpan.FromSeconds(2);
                    continue;
                }

                recorder.Step(Reporting.SummaryBuilder.GatePollStep).CountOk();
                if (status.Position is { } position)
                {
                    recorder.Series.QueuePosition(now, position);
                    if (position > lastPosition && !positionLost)
                    {
                        positionLost = true; // sent further back than the number shown before
                        recorder.PositionLost();
                    }

                    lastPosition = position;
                }

                if (status.Admitted)
                {
                    admitted = true;
                    _admitted = true;
                    if (promise is { } p && !_etaRecorded)
                    {
                        _etaRecorded = true;
                        recorder.Eta(new EtaSample(p.Low, p.High, (now - p.At).TotalSeconds, p.At.TotalSeconds, p.Position));
                    }
                    else if (promise is null)
                    {
                        recorder.WaitWithoutNumber.Record(now - queuedAt);
                    }

                    return true;
                }

                if (promise is null && status.Promise is { } shown)
                {
                    promise = (now, shown.Low, shown.High, status.Position);
                }

                refresh = status.Refresh;
            }

            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            recorder.LeftQueue(recorder.Now - queuedAt, admitted);
        }
    }

    private TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : delay > settings.MaxServerDelay ? settings.MaxServerDelay : delay;

    /// <summary>
    /// One page load including redirects; a failure kind instead of an answer when nothing usable came back.
    /// Only the generator's own send lag is measured from <c>attemptAt</c>; the person's wait is charged by the caller.
    /// </summary>
    private async Task<(HttpAnswer? Answer, ErrorKind? Failure)> SendAsync(HttpMethod method, string path, object? body, TimeSpan attemptAt, CancellationToken ct)
    {
        recorder.RequestSent(attemptAt, recorder.Now);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Counted from the actual send, so a slow generator shows up as lag rather than as invented reloads.
        patience.CancelAfter(settings.Impatience);
        var uri = new Uri(settings.Target, path);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (!TargetGuard.IsLoopback(uri))
                {
                    return (null, ErrorKind.Rejected);
                }

                using var request = new HttpRequestMessage(method, uri);
                if (body is not null && method == HttpMethod.Post)
                {
                    request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
                }
                else if (method == HttpMethod.Post)
                {
                    request.Content = new StringContent("", Encoding.UTF8, "application/json");
                }

                var cookieHeader = _cookies.GetCookieHeader(uri);
                if (cookieHeader.Length > 0)
                {
                    request.Headers.Add("Cookie", cookieHeader);
                }

                if (_gateTicket is not null)
                {
                    request.Headers.Add(GateParser.TicketHeaderName, _gateTicket);
                }

                request.Headers.Accept.ParseAdd(path.StartsWith("/api/", StringComparison.Ordinal) ? "application/json" : "text/html,*/*");
                using var response = await http.SendAsync(request, patience.Token);
                if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
                {
                    foreach (var cookie in setCookies)
                    {
                        try
                        {
                            _cookies.SetCookies(uri, cookie);
                        }
                        catch (CookieException)
                        {
                            // A cookie the browser would also refuse; keep going as a browser would.
                        }
                    }
                }

                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var name in ForwardedHeaders)
                {
                    if (response.Headers.TryGetValues(name, out var values))
                    {
                        headers[name] = values.First();
                    }
                }

                if (response.Headers.RetryAfter?.Delta is { } delta)
                {
                    headers["Retry-After"] = ((int)delta.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                if (headers.TryGetValue(GateParser.TicketHeaderName, out var ticket))
                {
                    _gateTicket = ticket;
                }

                var text = await response.Content.ReadAsStringAsync(patience.Token);
                var code = (int)response.StatusCode;
                if (code is >= 300 and < 400 && response.Headers.Location is { } location && redirects < 5)
                {
                    uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    method = HttpMethod.Get;
                    body = null;
                    continue;
                }

                return (new HttpAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, headers), null);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, ErrorKind.Timeout);
        }
        catch (OperationCanceledException)
        {
            return (null, ErrorKind.Network);
        }
        catch (HttpRequestException e)
        {
            return (null, e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                || e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                ? ErrorKind.ConnectionRefused : ErrorKind.Network);
        }
    }

    private static JsonElement? TryParse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? IdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id)
            ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText()
            : null;

    private static string? FirstId(JsonElement? me, string property) =>
        me is { ValueKind: JsonValueKind.Object } m && m.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? IdOf(list[0])
            : null;

    private static (string Id, string? SubjectId)? FirstClass(JsonElement? me)
    {
        if (FirstId(me, "classes") is not { } id)
        {
            return null;
        }

        var cls = me!.Value.GetProperty("classes")[0];
        string? subject = cls.TryGetProperty("subjectId", out var s) ? (s.ValueKind == JsonValueKind.String ? s.GetString() : s.GetRawText()) : null;
        // Préau's /api/v1/me lists the subjects a teacher teaches in that class as "subjectIds".
        if (subject is null && cls.TryGetProperty("subjectIds", out var ids) && ids.ValueKind == JsonValueKind.Array && ids.GetArrayLength() > 0)
        {
            subject = ids[0].ValueKind == JsonValueKind.String ? ids[0].GetString() : ids[0].GetRawText();
        }

        return (id, subject);
    }

    /// <summary>The list may be a bare array or wrapped in {"items": [...]}; both are accepted.</summary>
    private static (string? Id, string? AttachmentUrl) FirstHomework(JsonElement list)
    {
        if (list.ValueKind == JsonValueKind.Object && list.TryGetProperty("items", out var items))
        {
            list = items;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        string? id = null, url = null;
        foreach (var item in list.EnumerateArray())
        {
            id ??= IdOf(item);
            if (url is null && item.ValueKind == JsonValueKind.Object && item.TryGetProperty("attachments", out var attachments)
                && attachments.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in attachments.EnumerateArray())
                {
                    if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String)
                    {
                        url = u.GetString();
                        break;
                    }
                }
            }

            if (id is not null && url is not null)
            {
                break;
            }
        }

        return (id, url);
    }
}
