using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Retries;

namespace Workflow.StageWorkers.Tests;

public sealed class When_stage_retry_settings_are_resolved
{
    [Fact]
    public void The_most_specific_override_wins()
    {
        var stageOnly = new BackoffOptions { Kind = BackoffKind.Linear, Limit = 1 };
        var typeOnly = new BackoffOptions { Kind = BackoffKind.Linear, Limit = 2 };
        var both = new BackoffOptions { Kind = BackoffKind.Linear, Limit = 3 };
        var options = new StageRetryOptions
        {
            Overrides =
            [
                new StageRetryOverride { JobType = "batch-processing", Redelivery = typeOnly },
                new StageRetryOverride { Stage = "Generating", JobType = "batch-processing", Redelivery = both },
                new StageRetryOverride { Stage = "Generating", Redelivery = stageOnly },
            ],
        };

        Assert.Same(both, options.RedeliveryFor("Generating", "batch-processing"));
        Assert.Same(stageOnly, options.RedeliveryFor("generating", "image-generation"));
        Assert.Same(typeOnly, options.RedeliveryFor("Enhancing", "batch-processing"));
        Assert.Same(options.Redelivery, options.RedeliveryFor("Enhancing", null));
        Assert.Same(options.Immediate, options.ImmediateFor("Generating", "batch-processing"));
    }

    [Fact]
    public void An_out_of_range_nested_setting_is_named()
    {
        var options = new StageRetryOptions { Overrides = [new StageRetryOverride { Stage = "Generating", Redelivery = new BackoffOptions { Limit = -1 } }] };

        var error = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));

        Assert.StartsWith("Retry:Overrides:0:Redelivery", error.ErrorMessage, StringComparison.Ordinal);
    }
}
