using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines.Activities;

namespace Workflow.Orchestrator.Tests;

public sealed class When_the_saga_names_its_states_and_items : JobSagaSpec
{
    [Fact]
    public void Its_states_are_exactly_the_contract_states()
    {
        var declared = Fixture.Machine.States.Select(s => s.Name).Except([Fixture.Machine.Initial.Name, Fixture.Machine.Final.Name]);

        Assert.Equal(JobStates.All.Order(), declared.Order());
    }

    [Fact]
    public void A_batch_item_id_is_the_name_based_id_the_gateway_derives_too()
    {
        var id = Batches.ItemJobId(Guid.Parse("6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5"), 2);

        Assert.Equal(NameBasedGuid.Create("batch-item:6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5:2"), id);
        Assert.Equal(Guid.Parse("07a9c99a-808d-572b-99a4-daa2eec6d024"), id);
        Assert.Equal(5, id.Version);
    }
}
