#include "session.h"

#include "apiclient.h"

Session::Session(Profile profile, QByteArray token, bool temporary, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_temporary(temporary)
    , m_client(new ApiClient(m_profile.apiUrl, std::move(token), this))
{ }

Session::~Session() = default;
