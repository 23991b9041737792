namespace Workflow.Gateway.Reports;

/// <summary>One owner's jobs created on one day (UTC) that reported usage: how many, what they asked of providers, what it cost.</summary>
public sealed record CostDay(DateOnly Day, string Owner, string Currency, long Jobs, long Calls, long InputTokens, long OutputTokens, long Images, decimal Cost);
