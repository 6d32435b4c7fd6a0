using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// The role gate of one page handler, when a page serves several profiles (the notebook: a pupil
/// ticks, a teacher deletes). Razor Pages ignore <c>[Authorize]</c> on handler methods, so
/// <see cref="HandlerPolicyFilter"/> (a page convention registered by <c>AddAccounts</c>) applies it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class HandlerPolicyAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}

/// <summary>Refuses a page handler whose <see cref="HandlerPolicyAttribute"/> policy the user does
/// not meet, before the handler runs: 403 (the French error page), like <c>[Authorize]</c> on a page.</summary>
internal sealed class HandlerPolicyFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var policy = context.HandlerMethod?.MethodInfo.GetCustomAttributes(typeof(HandlerPolicyAttribute), false)
            .OfType<HandlerPolicyAttribute>().FirstOrDefault()?.Policy;
        if (policy is not null)
        {
            var authorization = context.HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
            if (!(await authorization.AuthorizeAsync(context.HttpContext.User, policy)).Succeeded)
            {
                context.Result = context.HttpContext.User.Identity?.IsAuthenticated == true ? new ForbidResult() : new ChallengeResult();
                return;
            }
        }

        await next();
    }
}
