using MassTransit;
using Npgsql;
using Workflow.CombinationAnalyzer.Consumers;
using Workflow.CombinationAnalyzer.History;
using Workflow.CombinationAnalyzer.Selection;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers;

namespace Workflow.CombinationAnalyzer.Extensions;

public static class CombinationAnalyzerExtensions
{
    public static IHostApplicationBuilder AddCombinationAnalyzer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICombinationSelector, FarthestPointSelector>();
        var connectionString = builder.Configuration.RequireDatabaseConnectionString("CombinationAnalyzer", "keeps each owner's combinations in PostgreSQL");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton<ICombinationHistory, PostgresCombinationHistory>();
        // Before the bus: the table exists before the first message is consumed.
        builder.Services.AddHostedService<CombinationHistorySchema>();
        builder.AddStageWorkerBus(x => x.AddStageWork().AddConsumer<AnalyzeCombinationsConsumer, AnalyzeCombinationsConsumerDefinition>());
        return builder;
    }
}
