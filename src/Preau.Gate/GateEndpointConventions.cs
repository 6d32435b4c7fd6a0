using Microsoft.AspNetCore.Builder;

namespace Preau.Gate;

/// <summary>Set on a request let through without admission (essential mode): where the visitor stands in the queue.</summary>
public interface IGateFeature
{
    /// <summary>The visitor's queue status.</summary>
    GateStatus Status { get; }
}

/// <summary>Endpoint metadata: the gate lets this endpoint through while the visitor is queued (essential mode).</summary>
public sealed class EssentialMetadata;

/// <summary>Endpoint metadata: the gate never queues this endpoint.</summary>
public sealed class SkipGateMetadata;

/// <summary>Endpoint conventions for the gate.</summary>
public static class GateEndpointConventions
{
    /// <summary>Essential mode: queued visitors may still call this endpoint; it reads <see cref="IGateFeature"/> to know.</summary>
    public static TBuilder AllowWhileQueued<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EssentialMetadata());

    /// <summary>The gate never queues this endpoint (abuse limits still apply).</summary>
    public static TBuilder SkipGate<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SkipGateMetadata());
}
