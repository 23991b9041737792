using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;

namespace Workflow.Gateway.Tests;

public sealed class When_a_job_id_is_derived_from_a_key
{
    [Fact]
    public void It_is_the_shared_name_based_id_and_the_same_as_in_earlier_releases()
    {
        var id = JobsApi.IdempotentJobId("demo", "order-17");

        // A resubmission after an upgrade must reach the job the first submission made.
        Assert.Equal(Guid.Parse("52d2ce5f-17cb-5c5a-89dc-7647b66e88a3"), id);
        Assert.Equal(NameBasedGuid.Create("demo\norder-17"), id);
        Assert.Equal(5, id.Version);
    }
}
