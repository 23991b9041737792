namespace Workflow.Gateway.Apis;

/// <summary>
/// The body of <c>POST /api/admin/dead-letters/{queue}/operations</c>: <c>action</c> is <c>retry</c> (send back to the
/// queue at <c>ratePerSecond</c>, DeadLetters:RatePerSecond by default) or <c>discard</c>; <c>keys</c> picks dead letters
/// by key, else <c>messageType</c> and <c>exceptionType</c> pick a group ("" for none), else the whole error queue is taken.
/// </summary>
public sealed record DeadLetterOperationRequest(string? Action, string? MessageType, string? ExceptionType, IReadOnlyList<string>? Keys, int? RatePerSecond);
