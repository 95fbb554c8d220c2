const DEVELOPMENT_SECRET = 'vetted-development-secret-do-not-use-in-production'

/** In production a missing secret stops start-up (see the server entry); elsewhere a fixed dev secret keeps setup to one command. */
export const resolveSecret = (): string => {
  const secret = process.env.PAYLOAD_SECRET?.trim()
  if (secret) return secret
  return process.env.NODE_ENV === 'production' ? '' : DEVELOPMENT_SECRET
}
