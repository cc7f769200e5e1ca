// ResourceTreeModel's warm start: snapshot() and restoreSnapshot() (see resourcetreemodel.h).
//
// The bytes are a QDataStream (Qt 6.4 format): a magic, a format version and the application's
// version, then the rows depth first, each with its kind and its parent's id. A row holds only what
// the tree shows: ids, names, statuses, regions, dates, the default flag and the parents' ids.
// Connections keep their id, name, kind and date: no endpoint (host, port, connection string).
#include "resourcetreemodel.h"
#include "resourcetreenode_p.h"

#include <QDataStream>
#include <QIODevice>

namespace {

constexpr quint32 kMagic = 0x50504754; // "PPGT"
constexpr quint32 kFormat = 1;

struct Row
{
    ResourceKind kind = ResourceKind::Placeholder;
    QString parentId;
    std::variant<std::monostate, Workspace, Project, Database, Connection> payload;
};

void write(QDataStream &out, const Workspace &w)
{
    out << w.id << w.name << w.createdAt;
}
void write(QDataStream &out, const Project &p)
{
    out << p.id << p.name << p.createdAt << p.defaultRegion << p.workspace.id;
}
void write(QDataStream &out, const Database &d)
{
    out << d.id << d.name << d.statusText << d.createdAt << d.isDefault << d.project.id
        << (d.region ? d.region->id : QString()) << (d.region ? d.region->name : QString());
}
void write(QDataStream &out, const Connection &c)
{
    out << c.id << c.name << c.kind << c.createdAt << c.database.id;
}

bool read(QDataStream &in, Workspace &w)
{
    in >> w.id >> w.name >> w.createdAt;
    return !w.id.isEmpty();
}
bool read(QDataStream &in, Project &p)
{
    in >> p.id >> p.name >> p.createdAt >> p.defaultRegion >> p.workspace.id;
    return !p.id.isEmpty();
}
bool read(QDataStream &in, Database &d)
{
    QString regionId, regionName;
    in >> d.id >> d.name >> d.statusText >> d.createdAt >> d.isDefault >> d.project.id >> regionId >> regionName;
    d.status = Database::statusFromString(d.statusText);
    if (!regionId.isEmpty())
        d.region = ResourceRef { regionId, {}, regionName };
    return !d.id.isEmpty();
}
bool read(QDataStream &in, Connection &c)
{
    in >> c.id >> c.name >> c.kind >> c.createdAt >> c.database.id;
    return !c.id.isEmpty();
}

} // namespace

QByteArray ResourceTreeModel::snapshot(const QString &appVersion) const
{
    if (m_allProfiles || m_root->children.empty())
        return {};
    QByteArray data;
    QDataStream out(&data, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << kFormat << appVersion;
    std::vector<const Node *> rows;
    std::function<void(const Node *)> collect = [&](const Node *parent) {
        for (const auto &c : parent->children) {
            if (c->kind == ResourceKind::Placeholder || c->standIn)
                continue;
            rows.push_back(c.get());
            collect(c.get());
        }
    };
    collect(m_root.get());
    out << quint32(rows.size());
    for (const Node *n : rows) {
        out << quint8(n->kind) << (n->parent == m_root.get() ? QString() : n->parent->id);
        n->payload.visit([&](const auto &r) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(r)>, std::monostate>)
                write(out, r);
        });
    }
    return data;
}

bool ResourceTreeModel::restoreSnapshot(const QByteArray &data, const QString &appVersion)
{
    // Nothing may be loaded yet; a listing of the workspaces already on its way merges into the rows.
    if (data.isEmpty() || m_allProfiles || !m_root->children.empty())
        return false;
    QDataStream in(data);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, format = 0, count = 0;
    QString version;
    in >> magic >> format >> version >> count;
    if (in.status() != QDataStream::Ok || magic != kMagic || format != kFormat || version != appVersion)
        return false;
    if (count > quint32(data.size())) // every row takes more than a byte: a count past that is corrupt
        return false;
    // Read everything first: a file that is cut short or corrupt changes nothing.
    std::vector<Row> rows;
    rows.reserve(count);
    for (quint32 i = 0; i < count; ++i) {
        quint8 kind = 0;
        Row row;
        in >> kind >> row.parentId;
        bool ok = false;
        switch (ResourceKind(kind)) {
        case ResourceKind::Workspace:
            ok = read(in, row.payload.emplace<Workspace>());
            break;
        case ResourceKind::Project:
            ok = read(in, row.payload.emplace<Project>());
            break;
        case ResourceKind::Database:
            ok = read(in, row.payload.emplace<Database>());
            break;
        case ResourceKind::Connection:
            ok = read(in, row.payload.emplace<Connection>());
            break;
        case ResourceKind::Placeholder:
            break;
        }
        if (!ok || in.status() != QDataStream::Ok)
            return false;
        row.kind = ResourceKind(kind);
        rows.push_back(std::move(row));
    }
    if (!in.atEnd())
        return false;

    beginResetModel();
    for (Row &row : rows) {
        Node *parent = row.parentId.isEmpty() ? m_root.get() : m_byId.value(row.parentId, nullptr);
        const bool fits = parent
            && ((parent == m_root.get() && row.kind == ResourceKind::Workspace)
                || (parent->kind == ResourceKind::Workspace && row.kind == ResourceKind::Project)
                || (parent->kind == ResourceKind::Project && row.kind == ResourceKind::Database)
                || (parent->kind == ResourceKind::Database && row.kind == ResourceKind::Connection));
        if (!fits)
            continue; // a parent that was not written before its child: the row is left out
        auto node = std::visit(
            [&](auto &r) -> std::unique_ptr<Node> {
                if constexpr (std::is_same_v<std::decay_t<decltype(r)>, std::monostate>)
                    return nullptr;
                else
                    return makeNode(row.kind, std::move(r));
            },
            row.payload);
        if (!node || m_byId.contains(node->id))
            continue;
        node->cached = true;
        compactResource(node->payload, &parent->payload);
        m_byId.insert(node->id, node.get());
        parent->append(std::move(node));
        ++m_cachedRows;
    }
    endResetModel();
    return m_cachedRows > 0;
}
