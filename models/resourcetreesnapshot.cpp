// ResourceTreeModel's warm start: snapshot(), decodeSnapshot() and restoreSnapshot() (see
// resourcetreemodel.h).
//
// The bytes are a QDataStream (Qt 6.4 format, little-endian, so that strings are read without
// swapping bytes): a magic, a format version and the application's version; then a table of the
// strings that repeat across an account (statuses, regions, connection kinds), which rows name by
// their index; then the rows depth first, each with its kind and its number of children, so that
// no row repeats its parent's id. A row holds only what the tree shows: id, name, creation time
// (ms since the epoch and the offset from UTC) and, by kind, a project's default region; a
// database's status, default flag and region; a connection's kind. Connections keep no endpoint
// (host, port, connection string).
#include "resourcetreemodel.h"
#include "resourcetreenode_p.h"

#include <QDataStream>
#include <QIODevice>

#include <limits>

namespace {

constexpr quint32 kMagic = 0x50504754; // "PPGT"
constexpr quint32 kFormat = 2;
constexpr qint64 kNoTime = std::numeric_limits<qint64>::min();
constexpr quint16 kNoString = 0xffff; // an empty string in the table's place
constexpr int kMaxTable = 0xfff0;

void setUp(QDataStream &stream)
{
    stream.setVersion(QDataStream::Qt_6_4);
    stream.setByteOrder(QDataStream::LittleEndian);
}

// The strings rows name by index, gathered as the rows are written.
class StringTable
{
public:
    quint16 index(const QString &s)
    {
        if (s.isEmpty())
            return kNoString;
        const auto it = m_index.constFind(s);
        if (it != m_index.cend())
            return *it;
        if (m_strings.size() >= kMaxTable)
            return kNoString; // never for a real account: statuses, regions and kinds are few
        m_strings.append(s);
        return m_index.insert(s, quint16(m_strings.size() - 1)).value();
    }
    const QStringList &strings() const { return m_strings; }

private:
    QStringList m_strings;
    QHash<QString, quint16> m_index;
};

void writeTime(QDataStream &out, const QDateTime &t)
{
    if (t.isValid())
        out << qint64(t.toMSecsSinceEpoch()) << qint32(t.offsetFromUtc());
    else
        out << kNoTime << qint32(0);
}

QDateTime readTime(QDataStream &in)
{
    qint64 ms = 0;
    qint32 offset = 0;
    in >> ms >> offset;
    if (ms == kNoTime)
        return {};
    return offset == 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                       : QDateTime::fromMSecsSinceEpoch(ms, Qt::OffsetFromUTC, offset);
}

} // namespace

QByteArray ResourceTreeModel::snapshot(const QString &appVersion) const
{
    if (m_allProfiles || m_root->children.empty())
        return {};
    const auto shown = [](const Node *n) { return n->kind != ResourceKind::Placeholder && !n->standIn; };
    QByteArray rows;
    QDataStream out(&rows, QIODevice::WriteOnly);
    setUp(out);
    StringTable table;
    quint32 count = 0;
    std::function<void(const Node *)> write = [&](const Node *n) {
        ++count;
        const auto children = quint32(
            std::count_if(n->children.cbegin(), n->children.cend(), [&](const auto &c) { return shown(c.get()); }));
        out << quint8(n->kind) << children;
        if (const Workspace *w = n->payload.get<Workspace>()) {
            out << w->id << w->name;
            writeTime(out, w->createdAt);
        } else if (const Project *p = n->payload.get<Project>()) {
            out << p->id << p->name;
            writeTime(out, p->createdAt);
            out << table.index(p->defaultRegion);
        } else if (const Database *d = n->payload.get<Database>()) {
            out << d->id << d->name;
            writeTime(out, d->createdAt);
            out << table.index(d->statusText) << d->isDefault << table.index(d->region ? d->region->id : QString())
                << table.index(d->region ? d->region->name : QString());
        } else if (const Connection *c = n->payload.get<Connection>()) {
            out << c->id << c->name;
            writeTime(out, c->createdAt);
            out << table.index(c->kind);
        }
        for (const auto &c : n->children)
            if (shown(c.get()))
                write(c.get());
    };
    quint32 workspaces = 0;
    for (const auto &w : m_root->children) {
        if (shown(w.get()) && w->kind == ResourceKind::Workspace) {
            write(w.get());
            ++workspaces;
        }
    }
    QByteArray data;
    QDataStream head(&data, QIODevice::WriteOnly);
    setUp(head);
    head << kMagic << kFormat << appVersion << table.strings() << count << workspaces;
    return data + rows;
}

ResourceTreeModel::DecodedSnapshot::DecodedSnapshot() = default;
ResourceTreeModel::DecodedSnapshot::~DecodedSnapshot() = default;

namespace {

// Reads one row's resource; its parent (already read) gives the references up the tree.
class RowReader
{
public:
    RowReader(QDataStream &in, const QStringList &table) : m_in(in), m_table(table) { }

    bool ok() const { return m_ok && m_in.status() == QDataStream::Ok; }

    QString string()
    {
        quint16 i = 0;
        m_in >> i;
        if (i == kNoString)
            return {};
        if (i >= m_table.size()) {
            m_ok = false;
            return {};
        }
        return m_table.at(i);
    }

    template <class T> void common(T &r)
    {
        m_in >> r.id >> r.name;
        r.createdAt = readTime(m_in);
        m_ok = m_ok && !r.id.isEmpty();
    }

private:
    QDataStream &m_in;
    const QStringList &m_table;
    bool m_ok = true;
};

} // namespace

std::shared_ptr<ResourceTreeModel::DecodedSnapshot> ResourceTreeModel::decodeSnapshot(
    const QByteArray &data, const QString &appVersion)
{
    if (data.isEmpty())
        return nullptr;
    QDataStream in(data);
    setUp(in);
    quint32 magic = 0, format = 0, count = 0, workspaces = 0;
    QString version;
    in >> magic >> format;
    if (in.status() != QDataStream::Ok || magic != kMagic || format != kFormat)
        return nullptr;
    QStringList table;
    in >> version >> table >> count >> workspaces;
    if (in.status() != QDataStream::Ok || version != appVersion || table.size() > kMaxTable)
        return nullptr;
    if (count > quint32(data.size()) || workspaces > count) // every row takes more than a byte
        return nullptr;
    // Everything is read before it is used: a file that is cut short or corrupt gives nothing.
    auto decoded = std::make_shared<DecodedSnapshot>();
    decoded->root = std::make_unique<Node>();
    decoded->byId.reserve(qsizetype(count));
    RowReader reader(in, table);
    // Depth first: each open parent with the number of children still to come under it.
    struct Open
    {
        Node *node;
        quint32 left;
    };
    std::vector<Open> open { { decoded->root.get(), workspaces } };
    for (quint32 i = 0; i < count; ++i) {
        while (!open.empty() && open.back().left == 0)
            open.pop_back();
        if (open.empty())
            return nullptr; // more rows than the counts announce
        Node *parent = open.back().node;
        --open.back().left;
        quint8 kindByte = 0;
        quint32 children = 0;
        in >> kindByte >> children;
        const auto kind = ResourceKind(kindByte);
        const bool fits = (parent->kind == ResourceKind::Placeholder && kind == ResourceKind::Workspace)
            || (parent->kind == ResourceKind::Workspace && kind == ResourceKind::Project)
            || (parent->kind == ResourceKind::Project && kind == ResourceKind::Database)
            || (parent->kind == ResourceKind::Database && kind == ResourceKind::Connection);
        if (!fits || children > count)
            return nullptr;
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->cached = true;
        switch (kind) {
        case ResourceKind::Workspace: {
            Workspace w;
            reader.common(w);
            node->id = w.id;
            node->payload = std::move(w);
            break;
        }
        case ResourceKind::Project: {
            Project p;
            reader.common(p);
            p.defaultRegion = reader.string();
            const Workspace *w = parent->payload.get<Workspace>();
            p.workspace = ResourceRef { w->id, w->name };
            node->id = p.id;
            node->payload = std::move(p);
            break;
        }
        case ResourceKind::Database: {
            Database d;
            reader.common(d);
            d.statusText = reader.string();
            d.status = Database::statusFromString(d.statusText);
            in >> d.isDefault;
            QString regionId = reader.string();
            QString regionName = reader.string();
            if (!regionId.isEmpty())
                d.region = ResourceRef { std::move(regionId), std::move(regionName) };
            const Project *p = parent->payload.get<Project>();
            d.project = ResourceRef { p->id, p->name };
            node->id = d.id;
            node->payload = std::move(d);
            break;
        }
        case ResourceKind::Connection: {
            Connection c;
            reader.common(c);
            c.kind = reader.string();
            const Database *d = parent->payload.get<Database>();
            c.database = ResourceRef { d->id, d->name };
            node->id = c.id;
            node->payload = std::move(c);
            break;
        }
        case ResourceKind::Placeholder:
            return nullptr;
        }
        if (!reader.ok() || decoded->byId.contains(node->id))
            return nullptr;
        Node *placed = node.get();
        decoded->byId.insert(placed->id, placed);
        parent->append(std::move(node));
        ++decoded->rows;
        if (children > 0)
            open.push_back({ placed, children });
    }
    if (!in.atEnd())
        return nullptr;
    for (const Open &o : open)
        if (o.left != 0)
            return nullptr; // fewer rows than the counts announce
    return decoded;
}

bool ResourceTreeModel::restoreSnapshot(DecodedSnapshot &snapshot)
{
    // Nothing may be loaded yet; a listing of the workspaces already on its way merges into the rows.
    if (m_allProfiles || !m_root->children.empty() || !snapshot.root || snapshot.rows == 0)
        return false;
    beginResetModel();
    for (auto &workspace : snapshot.root->children)
        m_root->append(std::move(workspace));
    snapshot.root.reset();
    m_byId = std::move(snapshot.byId);
    m_cachedRows = std::exchange(snapshot.rows, 0);
    endResetModel();
    return true;
}

bool ResourceTreeModel::restoreSnapshot(const QByteArray &data, const QString &appVersion)
{
    const std::shared_ptr<DecodedSnapshot> decoded = decodeSnapshot(data, appVersion);
    return decoded && restoreSnapshot(*decoded);
}
