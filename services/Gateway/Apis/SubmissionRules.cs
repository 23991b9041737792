using System.Numerics;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.Gateway.Apis;

/// <summary>The rules a submission must meet before it may reach a queue; errors are keyed by JSON path.</summary>
public static class SubmissionRules
{
    public static readonly IReadOnlyList<string> Priorities = ["high", "normal", "low"];
    public const int MaxBasePromptLength = 2000;
    public const int MaxDimensions = 12;
    public const int MaxValuesPerDimension = 50;
    public const int MaxValueLength = 100;
    public const int MaxCount = 500;
    public const int MinSize = 64;
    public const int MaxSize = 2048;

    /// <summary>The width and the height of an image whose submission names neither (a combination analysis renders nothing).</summary>
    public const int DefaultSize = 512;
    public const int DefaultMaxRetries = 3;
    public const int MaxMaxRetries = 10;
    public const int DefaultTimeoutSeconds = 600;
    public const int MaxBatchItems = 100;
    public const int MaxDependencies = 50;

    /// <summary>The job table's column holds no more.</summary>
    public const int MaxCallbackUrlLength = 2000;

    /// <summary>
    /// <see cref="Validate"/>, then where the callback URL leads (its host's addresses now; the Notifier checks them
    /// again when it connects).
    /// </summary>
    public static async Task<Dictionary<string, string[]>> ValidateAsync(
        SubmitJobRequest request, LimitsOptions limits, WebhookTargets webhooks, CancellationToken cancellationToken)
    {
        var errors = Validate(request, limits);
        if (request.CallbackUrl is { } url && !errors.ContainsKey("callbackUrl") && await webhooks.CheckAsync(url, cancellationToken) is { } reason)
        {
            errors["callbackUrl"] = ["callbackUrl: " + reason];
        }

        return errors;
    }

    public static Dictionary<string, string[]> Validate(SubmitJobRequest request, LimitsOptions limits)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(request.Type))
        {
            Fail("type", "type is required: one of " + string.Join(", ", JobTypes.All) + ".");
        }
        else if (!JobTypes.All.Contains(request.Type))
        {
            Fail("type", $"unknown job type '{request.Type}': one of {string.Join(", ", JobTypes.All)}.");
        }

        if (request.Priority is not null && !Priorities.Contains(request.Priority))
        {
            Fail("priority", "priority is one of high, normal, low.");
        }

        if (request.MaxRetries is < 0 or > MaxMaxRetries)
        {
            Fail("maxRetries", $"maxRetries is between 0 and {MaxMaxRetries}.");
        }

        if (request.TimeoutSeconds is < 10 or > 86_400)
        {
            Fail("timeoutSeconds", "timeoutSeconds is between 10 and 86400.");
        }

        if (request.CallbackUrl is { Length: > MaxCallbackUrlLength })
        {
            Fail("callbackUrl", $"callbackUrl is at most {MaxCallbackUrlLength} characters.");
        }

        if (request.RunAt is { } runAt && runAt > DateTimeOffset.UtcNow.AddYears(1))
        {
            Fail("runAt", "runAt is at most a year ahead.");
        }

        if (request.DependsOn is { Count: > MaxDependencies })
        {
            Fail("dependsOn", $"a job depends on at most {MaxDependencies} jobs.");
        }

        if (request.UniqueKey is { } uniqueKey && (string.IsNullOrWhiteSpace(uniqueKey) || uniqueKey.Length > 200))
        {
            Fail("uniqueKey", "uniqueKey is 1 to 200 characters.");
        }

        if (request.Input is not { } input)
        {
            Fail("input", "input is required.");
            return errors;
        }

        if (request.Type != JobTypes.BatchProcessing)
        {
            ValidateInput(input, "input", Fail);
            if (request.Type == JobTypes.ImageGeneration && errors.Count == 0)
            {
                WithinBudget(input, "input", limits, Fail);
            }
        }
        else if (input.Items is not { Count: > 0 and <= MaxBatchItems } items)
        {
            Fail("input.items", $"a batch-processing job has 1 to {MaxBatchItems} items.");
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is null)
                {
                    Fail($"input.items[{i}]", "an item is an image-generation input.");
                    continue;
                }

                ValidateInput(items[i], $"input.items[{i}]", Fail);
            }

            if (errors.Count == 0)
            {
                // Each item runs as a job of its own, so each has the job's budget; together they have the batch's.
                for (var i = 0; i < items.Count; i++)
                {
                    WithinBudget(items[i], $"input.items[{i}]", limits, Fail);
                }

                var total = items.Sum(Pixels);
                if (total > limits.MaxPixelsPerBatch)
                {
                    Fail("input.items", $"the items render {total:N0} pixels in all (count × width × height, summed); a batch may render at most " +
                        $"{limits.MaxPixelsPerBatch:N0} (Limits:MaxPixelsPerBatch).");
                }
            }
        }

        return errors;
    }

    /// <summary>What an image-generation input renders: count × width × height (validated, so all three are there).</summary>
    static long Pixels(SubmitJobInput input) => (long)input.Count!.Value * (input.Width ?? DefaultSize) * (input.Height ?? DefaultSize);

    static void WithinBudget(SubmitJobInput input, string path, LimitsOptions limits, Action<string, string> fail)
    {
        var pixels = Pixels(input);
        if (pixels > limits.MaxPixelsPerJob)
        {
            fail(path, $"count × width × height is {pixels:N0} pixels; a job may render at most {limits.MaxPixelsPerJob:N0} (Limits:MaxPixelsPerJob).");
        }
    }

    /// <summary>The rules of one image-generation input; fields are named under <paramref name="path"/>.</summary>
    static void ValidateInput(SubmitJobInput input, string path, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(input.BasePrompt))
        {
            fail($"{path}.basePrompt", "basePrompt is required.");
        }
        else if (input.BasePrompt.Length > MaxBasePromptLength)
        {
            fail($"{path}.basePrompt", $"basePrompt is at most {MaxBasePromptLength} characters.");
        }

        var product = ValidateAttributes(input.Attributes, path, fail);

        if (input.Count is not { } count)
        {
            fail($"{path}.count", "count is required.");
        }
        else if (count is < 1 or > MaxCount)
        {
            fail($"{path}.count", $"count is between 1 and {MaxCount}.");
        }
        else if (product is not null && count > product)
        {
            fail($"{path}.count", $"count {count} exceeds the {product} distinct combinations the attributes allow.");
        }

        foreach (var (name, value) in new[] { ("width", input.Width), ("height", input.Height) })
        {
            if (value is { } size && size is < MinSize or > MaxSize)
            {
                fail($"{path}.{name}", $"{name} is between {MinSize} and {MaxSize} pixels.");
            }
        }
    }

    /// <summary>Checks the attribute dimensions and returns how many distinct combinations they allow (null when invalid).</summary>
    static BigInteger? ValidateAttributes(Dictionary<string, List<string>>? attributes, string path, Action<string, string> fail)
    {
        if (attributes is null || attributes.Count == 0)
        {
            fail($"{path}.attributes", $"attributes needs 1 to {MaxDimensions} dimensions.");
            return null;
        }

        if (attributes.Count > MaxDimensions)
        {
            fail($"{path}.attributes", $"attributes has at most {MaxDimensions} dimensions.");
            return null;
        }

        var product = BigInteger.One;
        var valid = true;
        foreach (var (name, values) in attributes)
        {
            var field = $"{path}.attributes.{name}";
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxValueLength)
            {
                fail($"{path}.attributes", $"attribute names are 1 to {MaxValueLength} characters.");
                valid = false;
            }
            else if (values is null || values.Count is 0 or > MaxValuesPerDimension)
            {
                fail(field, $"an attribute has 1 to {MaxValuesPerDimension} values.");
                valid = false;
            }
            else if (values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > MaxValueLength))
            {
                fail(field, $"values are non-empty and at most {MaxValueLength} characters.");
                valid = false;
            }
            else if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            {
                fail(field, "values are distinct.");
                valid = false;
            }
            else
            {
                product *= values.Count;
            }
        }

        return valid ? product : null;
    }

    /// <summary>The contract's input; a batch carries its items, and its own figures sum them up.</summary>
    public static JobInput ToInput(string type, SubmitJobInput input) =>
        type == JobTypes.BatchProcessing
            ? new JobInput($"batch of {input.Items!.Count} items", new Dictionary<string, IReadOnlyList<string>>(), input.Items.Sum(i => i.Count!.Value), 0, 0,
                Items: [.. input.Items.Select(i => ToInput(JobTypes.ImageGeneration, i))])
            : new(
            input.BasePrompt!.Trim(),
            input.Attributes!.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            input.Count!.Value,
            input.Width ?? DefaultSize,
            input.Height ?? DefaultSize,
            input.Seed);
}
