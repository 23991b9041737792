namespace Workflow.TestKit;

/// <summary>Counts the work a test consumer has in hand, per kind and in all, and the most there ever was at once.</summary>
public sealed class ConcurrencyTracker
{
    readonly Dictionary<string, (int Now, int Most)> running = [];
    int nowInAll;
    int mostInAll;
    int finished;

    public int MostAtOnceInAll
    {
        get
        {
            lock (running)
            {
                return mostInAll;
            }
        }
    }

    public int Finished
    {
        get
        {
            lock (running)
            {
                return finished;
            }
        }
    }

    public void Enter(string kind)
    {
        lock (running)
        {
            var (now, most) = running.GetValueOrDefault(kind);
            running[kind] = (now + 1, Math.Max(most, now + 1));
            mostInAll = Math.Max(mostInAll, ++nowInAll);
        }
    }

    public void Leave(string kind)
    {
        lock (running)
        {
            var (now, most) = running[kind];
            running[kind] = (now - 1, most);
            nowInAll--;
            finished++;
        }
    }

    public int MostAtOnce(string kind)
    {
        lock (running)
        {
            return running.GetValueOrDefault(kind).Most;
        }
    }
}
