// CommandPaletteIndex: what the command palette can find, ranked for a typed text. No widget, no
// request: the palette (ui/commandpalette.h) shows the hits and runs them.
//
// Three kinds of entry:
// - a resource: every loaded row of a ResourceTreeModel (workspace, project, database, connection),
//   matched by its label ("shop-prod", or "shop-prod / reporting" below a project or database) and
//   by its id; a match in its own name counts a little more than one across the label, so
//   "reporting" finds the database before its connections ("reporting / ci");
// - a verb on a resource: a verb given for a kind ("New database in ", "Show backups of ") with
//   every loaded resource of that kind, read as one text ("New database in shop-prod"). Its pattern
//   starts in the verb, at the start of one of its words ("nd", "new db shop", "backups main");
//   the rest is matched in the resource's label. The current resource's entries rank first among
//   equals ("in context");
// - a command: a text of its own ("Refresh All", "Switch to profile staging").
// Matching and scores: FuzzyMatch (fuzzymatch.h). Ties: resources before verbs before commands,
// then the model's order.
//
// Cost: rebuild() walks the model once and keeps one label per resource (the name shared with the
// model, a new string only for "parent / name"). search() builds no string per candidate; each
// verb's share of the pattern is worked out once per text, so a verb entry costs one match in the
// resource's label. A text that extends the previous one (typing) tests only the previous hits; a
// text typed before (Backspace) is answered from what it matched then.
#pragma once

#include "resources.h"

#include <QList>
#include <QString>

#include <vector>

class ResourceTreeModel;

class CommandPaletteIndex
{
public:
    struct Verb
    {
        QString prefix; // shown before the resource's label, e.g. "New database in "
        ResourceKind kind; // the resources it applies to
        QString hint; // shown beside it (a shortcut); not matched
        int key = 0; // the caller's, handed back in hits
    };
    struct Command
    {
        QString text;
        QString hint; // shown beside it (a shortcut); not matched
        int key = 0;
    };
    enum class Type { Resource, Verb, Command };
    struct Hit
    {
        Type type = Type::Resource;
        int resource = -1; // Resource and Verb: index of the resource (resourceId() etc.)
        int item = -1; // Verb: index into verbs(); Command: index into commands()
        int score = 0;
    };

    void setVerbs(std::vector<Verb> verbs);
    void setCommands(std::vector<Command> commands);
    const std::vector<Verb> &verbs() const { return m_verbs; }
    const std::vector<Command> &commands() const { return m_commands; }

    // Reads every loaded resource of `model` (placeholders and not-yet-listed levels excluded).
    void rebuild(const ResourceTreeModel &model);
    // The resource whose verb entries rank first among equals (empty: none).
    void setCurrentId(const QString &id);

    int resourceCount() const { return int(m_resources.size()); }
    QString resourceId(int resource) const { return m_resources[size_t(resource)].id; }
    QString resourceLabel(int resource) const { return m_resources[size_t(resource)].label; }
    ResourceKind resourceKind(int resource) const { return m_resources[size_t(resource)].kind; }
    QString resourceProfileId(int resource) const { return m_resources[size_t(resource)].profileId; }

    // The best `limit` entries for `text` (leading and trailing spaces ignored), best first. An
    // empty text lists the commands.
    QList<Hit> search(QStringView text, int limit);
    // How many entries matched the last search (before `limit`).
    int lastMatchCount() const { return m_lastMatchCount; }

    // The text a hit is shown as, and the positions in it of the characters `text` matched.
    QString text(const Hit &hit) const;
    QList<int> matchPositions(const Hit &hit, QStringView text) const;

private:
    struct Resource
    {
        QString id;
        QString label;
        qsizetype nameAt = 0; // where the resource's own name starts in the label
        ResourceKind kind;
        QString profileId;
    };
    struct VerbState
    {
        qsizetype taken = 0; // how many characters of the pattern the verb matches (0: it takes no part)
        int score = 0; // of those characters in the verb
    };

    void scoreAll(QStringView pattern);
    void rescore(QStringView pattern);
    int scoreResource(const Resource &r, QStringView pattern, QList<int> *positions = nullptr) const;
    int scoreVerbEntry(int resource, int verb, QStringView pattern) const;
    VerbState verbState(const Verb &verb, QStringView pattern) const;

    std::vector<Verb> m_verbs;
    std::vector<Command> m_commands;
    std::vector<Resource> m_resources;
    int m_current = -1;
    QString m_currentId;
    // The searches of the text being typed, shortest first: each pattern (a prefix of the next)
    // and every entry it matched. Typing tests only the last one's hits; Backspace takes an
    // earlier one back as it was. Cleared when the entries or the current resource change.
    struct Step
    {
        QString pattern;
        std::vector<Hit> hits;
    };
    std::vector<Step> m_steps;
    bool m_lastValid = false;
    std::vector<Hit> m_hits;
    std::vector<VerbState> m_verbStates;
    int m_lastMatchCount = 0;
};
