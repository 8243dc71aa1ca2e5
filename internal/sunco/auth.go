package sunco

import (
	"fmt"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// The ways of sending the API key, as SUNCO_AUTH_TYPE names them.
const (
	AuthBasic  = "basic"
	AuthBearer = "bearer"
)

// Auth returns the credentials of an API key: basic auth with the key id
// and secret, or a bearer JWT signed once here (HS256 with the secret,
// header kid the key id, claim scope "app"). The JWT has no exp: it lives
// only in this process's memory, for one run.
func Auth(authType, keyID, secret string) (zendesk.Auth, error) {
	switch authType {
	case AuthBasic:
		return zendesk.Basic(keyID, secret), nil
	case AuthBearer:
		token, err := AppJWT(keyID, secret)
		if err != nil {
			return nil, err
		}
		return zendesk.Bearer(token), nil
	}
	return nil, fmt.Errorf("choose auth type %q: want %s or %s", authType, AuthBasic, AuthBearer)
}

// AppJWT returns an app-scoped JWT for the key keyID.
func AppJWT(keyID, secret string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"scope": "app"})
	token.Header["kid"] = keyID
	signed, err := token.SignedString([]byte(secret))
	if err != nil {
		return "", fmt.Errorf("sign jwt for key %s: %w", keyID, err)
	}
	return signed, nil
}

// AuthHint says what to check when the API answers 401 or 403.
func AuthHint(authType string) string {
	how := "sent as basic auth, key id as user and secret as password"
	if authType == AuthBearer {
		how = "sent as a bearer JWT signed HS256 with the secret, kid the key id, scope app"
	}
	return "check SUNCO_KEY_ID and SUNCO_KEY_SECRET (" + how + "): they must be an active " +
		"Conversations API key of the app SUNCO_APP_ID"
}
