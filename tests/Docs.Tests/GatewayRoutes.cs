using System.Text.RegularExpressions;
using Workflow.TestKit;

namespace Workflow.Docs.Tests;

/// <summary>The routes the Gateway maps, read from its endpoint groups in <c>services/Gateway/Apis</c>.</summary>
public static partial class GatewayRoutes
{
    /// <summary>Each mapped route: its HTTP method and its template (<c>/api/jobs/{id:guid}/retry</c>).</summary>
    public static IReadOnlyList<(string Method, string Template)> All { get; } = Read();

    /// <summary>True when the Gateway maps <paramref name="path"/> (with <paramref name="method"/>, when given).</summary>
    public static bool Maps(string? method, string path) =>
        All.Any(route => (method is null || route.Method == method) && Matches(route.Template, path));

    /// <summary>A parameter segment of the template (<c>{id:guid}</c>) takes any segment; the others must be equal.</summary>
    static bool Matches(string template, string path)
    {
        var expected = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var actual = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return expected.Length == actual.Length
            && expected.Zip(actual).All(s => s.First.StartsWith('{') || string.Equals(s.First, s.Second, StringComparison.OrdinalIgnoreCase));
    }

    static List<(string Method, string Template)> Read()
    {
        var routes = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "services", "Gateway", "Apis"), "*.cs"))
        {
            var source = File.ReadAllText(file);
            var groups = Group().Matches(source).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["prefix"].Value);
            foreach (Match map in Map().Matches(source))
            {
                var prefix = groups.GetValueOrDefault(map.Groups["target"].Value, "");
                var template = (prefix + map.Groups["template"].Value).TrimEnd('/');
                routes.Add((map.Groups["method"].Value.ToUpperInvariant(), template));
            }
        }

        return routes;
    }

    [GeneratedRegex(@"var (?<name>\w+) = app\.MapGroup\(""(?<prefix>[^""]+)""\)")]
    private static partial Regex Group();

    [GeneratedRegex(@"(?<target>\w+)\.Map(?<method>Get|Post|Put|Delete|Patch)\(""(?<template>[^""]*)""")]
    private static partial Regex Map();
}
