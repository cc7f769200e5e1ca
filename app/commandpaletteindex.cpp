#include "commandpaletteindex.h"

#include "fuzzymatch.h"
#include "resourcetreemodel.h"

#include <algorithm>

namespace {

constexpr int kContextBonus = 24; // a verb on the current resource
constexpr int kVerbShare = 12; // a verb entry that leaves part of the pattern to the label: less sure
constexpr int kOwnName = 8; // a resource matched in its own name rather than across its label
constexpr int kTypeOrder[] = { 0, 1, 2 }; // Resource, Verb, Command

} // namespace

void CommandPaletteIndex::setVerbs(std::vector<Verb> verbs)
{
    m_verbs = std::move(verbs);
    m_lastValid = false;
}

void CommandPaletteIndex::setCommands(std::vector<Command> commands)
{
    m_commands = std::move(commands);
    m_lastValid = false;
}

void CommandPaletteIndex::rebuild(const ResourceTreeModel &model)
{
    m_resources.clear();
    m_lastValid = false;
    // Depth first, in the model's order; the label names the parent below the project level.
    struct Walk
    {
        const ResourceTreeModel &model;
        std::vector<Resource> &out;
        void under(const QModelIndex &parent, const QString &parentName)
        {
            for (int row = 0, rows = model.rowCount(parent); row < rows; ++row) {
                const QModelIndex i = model.index(row, 0, parent);
                const ResourceKind kind = model.kind(i);
                if (kind == ResourceKind::Placeholder)
                    continue;
                const QString name = i.data(ResourceTreeModel::NameRole).toString();
                if (kind == ResourceKind::Workspace && !model.workspace(i))
                    continue; // All Profiles: a profile's node before its workspace is known
                Resource r;
                r.id = i.data(ResourceTreeModel::IdRole).toString();
                r.kind = kind;
                const bool withParent
                    = (kind == ResourceKind::Database || kind == ResourceKind::Connection) && !parentName.isEmpty();
                r.label = withParent ? parentName + QStringLiteral(" / ") + name : name;
                r.nameAt = withParent ? parentName.size() + 3 : 0;
                r.profileId = model.profileIdOf(i);
                out.push_back(std::move(r));
                under(i, name);
            }
        }
    };
    Walk { model, m_resources }.under({}, QString());
    setCurrentId(m_currentId);
}

void CommandPaletteIndex::setCurrentId(const QString &id)
{
    m_currentId = id;
    m_current = -1;
    m_lastValid = false;
    if (id.isEmpty())
        return;
    for (size_t r = 0; r < m_resources.size(); ++r)
        if (m_resources[r].id == id) {
            m_current = int(r);
            break;
        }
}

CommandPaletteIndex::VerbState CommandPaletteIndex::verbState(const Verb &verb, QStringView pattern) const
{
    // The pattern starts at a word of the verb that begins with its first character, and takes
    // as many of its characters as follow in order (greedily: the most the verb can take).
    VerbState s;
    const QStringView prefix(verb.prefix);
    const char16_t first = FuzzyMatch::fold(pattern[0]);
    qsizetype b = 0;
    while (b < prefix.size() && !(FuzzyMatch::fold(prefix[b]) == first && FuzzyMatch::isWordStart(prefix, b)))
        ++b;
    if (b == prefix.size())
        return s;
    qsizetype taken = 0;
    for (qsizetype t = b; t < prefix.size() && taken < pattern.size(); ++t)
        if (FuzzyMatch::fold(prefix[t]) == FuzzyMatch::fold(pattern[taken]))
            ++taken;
    s.taken = taken;
    s.score = FuzzyMatch::score(prefix, pattern.left(taken));
    return s;
}

int CommandPaletteIndex::scoreResource(const Resource &r, QStringView pattern, QList<int> *positions) const
{
    const QStringView label(r.label);
    const int inLabel = FuzzyMatch::score(label, pattern);
    if (inLabel < 0 && r.nameAt == 0) {
        const int byId = FuzzyMatch::score(r.id, pattern);
        if (positions)
            positions->clear(); // an id match is shown beside the label, not in it
        return byId;
    }
    const int inName = r.nameAt > 0 && inLabel >= 0 ? FuzzyMatch::score(label.mid(r.nameAt), pattern) : -1;
    const int byName = inName >= 0 ? inName + kOwnName : r.nameAt == 0 && inLabel >= 0 ? inLabel + kOwnName : -1;
    const int byId = FuzzyMatch::score(r.id, pattern);
    const int best = std::max({ inLabel, byName, byId });
    if (positions) {
        positions->clear();
        if (best == byName && inName >= 0) {
            FuzzyMatch::score(label.mid(r.nameAt), pattern, positions);
            for (int &p : *positions)
                p += int(r.nameAt);
        } else if (best == inLabel || best == byName) {
            FuzzyMatch::score(label, pattern, positions);
        }
    }
    return best;
}

int CommandPaletteIndex::scoreVerbEntry(int resource, int verb, QStringView pattern) const
{
    const VerbState &v = m_verbStates[size_t(verb)];
    if (v.taken == 0 || m_verbs[size_t(verb)].kind != m_resources[size_t(resource)].kind)
        return -1;
    int s = v.score;
    if (v.taken < pattern.size()) {
        const int rest = FuzzyMatch::score(m_resources[size_t(resource)].label, pattern.mid(v.taken));
        if (rest < 0)
            return -1;
        s += rest - kVerbShare;
    }
    return resource == m_current ? s + kContextBonus : s;
}

void CommandPaletteIndex::scoreAll(QStringView pattern)
{
    m_hits.clear();
    for (size_t c = 0; c < m_commands.size(); ++c)
        if (const int s = FuzzyMatch::score(m_commands[c].text, pattern); s >= 0)
            m_hits.push_back({ Type::Command, -1, int(c), s });

    // Verbs by kind; those with the same share of the pattern need one match in the label.
    struct Group
    {
        ResourceKind kind;
        qsizetype taken;
        std::vector<int> verbs;
    };
    std::vector<Group> groups;
    for (size_t v = 0; v < m_verbs.size(); ++v) {
        const VerbState &st = m_verbStates[v];
        if (st.taken == 0)
            continue;
        auto g = std::find_if(groups.begin(), groups.end(),
            [&](const Group &g) { return g.kind == m_verbs[v].kind && g.taken == st.taken; });
        if (g == groups.end())
            g = groups.insert(groups.end(), Group { m_verbs[v].kind, st.taken, {} });
        g->verbs.push_back(int(v));
    }

    for (size_t r = 0; r < m_resources.size(); ++r) {
        const Resource &res = m_resources[r];
        if (const int s = scoreResource(res, pattern); s >= 0)
            m_hits.push_back({ Type::Resource, int(r), -1, s });
        for (const Group &g : groups) {
            if (g.kind != res.kind)
                continue;
            int rest = 0;
            if (g.taken < pattern.size()) {
                rest = FuzzyMatch::score(res.label, pattern.mid(g.taken));
                if (rest < 0)
                    continue;
                rest -= kVerbShare;
            }
            const int bonus = int(r) == m_current ? kContextBonus : 0;
            for (int v : g.verbs)
                m_hits.push_back({ Type::Verb, int(r), v, m_verbStates[size_t(v)].score + rest + bonus });
        }
    }
}

void CommandPaletteIndex::rescore(QStringView pattern)
{
    // Every entry that matches a longer text matched the shorter one (its characters in order),
    // so only the previous hits are tested again.
    size_t kept = 0;
    for (const Hit &h : m_hits) {
        int s = -1;
        switch (h.type) {
        case Type::Command:
            s = FuzzyMatch::score(m_commands[size_t(h.item)].text, pattern);
            break;
        case Type::Resource:
            s = scoreResource(m_resources[size_t(h.resource)], pattern);
            break;
        case Type::Verb:
            s = scoreVerbEntry(h.resource, h.item, pattern);
            break;
        }
        if (s >= 0)
            m_hits[kept++] = { h.type, h.resource, h.item, s };
    }
    m_hits.resize(kept);
}

QList<CommandPaletteIndex::Hit> CommandPaletteIndex::search(QStringView text, int limit)
{
    const QStringView pattern = text.trimmed();
    QList<Hit> result;
    if (pattern.isEmpty()) {
        m_lastValid = false;
        m_lastMatchCount = int(m_commands.size());
        for (size_t c = 0; c < m_commands.size() && result.size() < limit; ++c)
            result.append({ Type::Command, -1, int(c), 0 });
        return result;
    }
    if (!m_lastValid)
        m_steps.clear();
    while (!m_steps.empty() && !pattern.startsWith(m_steps.back().pattern, Qt::CaseInsensitive))
        m_steps.pop_back();
    m_verbStates.resize(m_verbs.size());
    for (size_t v = 0; v < m_verbs.size(); ++v)
        m_verbStates[v] = verbState(m_verbs[v], pattern);
    if (!m_steps.empty() && m_steps.back().pattern.size() == pattern.size()) {
        m_hits = m_steps.back().hits; // typed before: the same answer
    } else {
        if (!m_steps.empty()) {
            m_hits = m_steps.back().hits;
            rescore(pattern);
        } else {
            scoreAll(pattern);
        }
        m_steps.push_back({ pattern.toString(), m_hits });
    }
    m_lastValid = true;
    m_lastMatchCount = int(m_hits.size());

    // The best `limit`, in order; the rest stay unsorted.
    auto better = [](const Hit &a, const Hit &b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.type != b.type)
            return kTypeOrder[int(a.type)] < kTypeOrder[int(b.type)];
        if (a.resource != b.resource)
            return a.resource < b.resource;
        return a.item < b.item;
    };
    const size_t n = std::min(m_hits.size(), size_t(std::max(limit, 0)));
    std::vector<Hit> top(n);
    std::partial_sort_copy(m_hits.begin(), m_hits.end(), top.begin(), top.end(), better);
    result.reserve(qsizetype(n));
    for (const Hit &h : top)
        result.append(h);
    return result;
}

QString CommandPaletteIndex::text(const Hit &hit) const
{
    switch (hit.type) {
    case Type::Resource:
        return m_resources[size_t(hit.resource)].label;
    case Type::Verb:
        return m_verbs[size_t(hit.item)].prefix + m_resources[size_t(hit.resource)].label;
    case Type::Command:
        return m_commands[size_t(hit.item)].text;
    }
    return {};
}

QList<int> CommandPaletteIndex::matchPositions(const Hit &hit, QStringView text) const
{
    const QStringView pattern = text.trimmed();
    QList<int> positions;
    if (pattern.isEmpty())
        return positions;
    switch (hit.type) {
    case Type::Resource: {
        scoreResource(m_resources[size_t(hit.resource)], pattern, &positions);
        break;
    }
    case Type::Command:
        FuzzyMatch::score(m_commands[size_t(hit.item)].text, pattern, &positions);
        break;
    case Type::Verb: {
        const Verb &v = m_verbs[size_t(hit.item)];
        const VerbState st = verbState(v, pattern);
        FuzzyMatch::score(v.prefix, pattern.left(st.taken), &positions);
        if (st.taken < pattern.size()) {
            QList<int> rest;
            FuzzyMatch::score(m_resources[size_t(hit.resource)].label, pattern.mid(st.taken), &rest);
            for (int p : std::as_const(rest))
                positions.append(int(v.prefix.size()) + p);
        }
        break;
    }
    }
    return positions;
}
