using MassTransit;
using Workflow.CombinationAnalyzer.Consumers;
using Workflow.CombinationAnalyzer.Selection;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.CombinationAnalyzer.Extensions;

public static class CombinationAnalyzerExtensions
{
    public static IHostApplicationBuilder AddCombinationAnalyzer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICombinationSelector, FarthestPointSelector>();
        builder.AddWorkflowBus(x => x.AddConsumer<AnalyzeCombinationsConsumer, AnalyzeCombinationsConsumerDefinition>());
        return builder;
    }
}
