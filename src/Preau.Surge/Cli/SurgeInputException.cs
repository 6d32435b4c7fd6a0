namespace Preau.Surge.Cli;

/// <summary>A mistake in what the operator gave us (options, CSV); printed without a stack trace.</summary>
internal sealed class SurgeInputException(string message) : Exception(message);
