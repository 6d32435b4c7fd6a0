using System.Globalization;

namespace Preau.Surge.Cli;

/// <summary>
/// "--name value" and "--flag" pairs. Hand-written rather than a CLI framework: the tool has three
/// subcommands and a flat option list, and every unknown option must fail loudly so a typo in a
/// benchmark command never silently runs the default.
/// </summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ArgReader(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    _values[pending] = null;
                }

                pending = arg[2..];
            }
            else if (pending is not null)
            {
                _values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new SurgeInputException($"argument inattendu : « {arg} ».");
            }
        }

        if (pending is not null)
        {
            _values[pending] = null;
        }
    }

    public string? String(string name)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new SurgeInputException($"--{name} attend une valeur.");
    }

    public string Required(string name) => String(name) ?? throw new SurgeInputException($"--{name} est obligatoire.");

    public bool Flag(string name)
    {
        _read.Add(name);
        return _values.ContainsKey(name);
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw new SurgeInputException($"--{name} : « {text} » doit être un entier entre {min} et {max}.");
        }

        return value;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SurgeInputException($"--{name} : « {text} » doit être un nombre entre {min} et {max}.");
        }

        return value;
    }

    public TimeSpan Duration(string name, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        var value = Durations.Parse(text, "--" + name);
        if (value < min || value > max)
        {
            throw new SurgeInputException($"--{name} : {Durations.Format(value)} hors des bornes [{Durations.Format(min)}, {Durations.Format(max)}].");
        }

        return value;
    }

    /// <summary>Call after reading every option the subcommand knows.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new SurgeInputException("option(s) inconnue(s) : " + string.Join(", ", unknown.Select(u => "--" + u)));
        }
    }
}
