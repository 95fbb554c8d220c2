import type { Role } from '../src/rules/roles'

export type DemoAccount = {
  email: string
  name: string
  roles: Role[]
  profile?: { name: string; credentials: string; specialties: string[]; bio: string; disclosures: string }
}

/** Fictional people, for trying the platform. Their password is DEMO_PASSWORD, or one generated and printed once. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@example.com', name: 'Avery Admin', roles: ['admin'] },
  { email: 'editor@example.com', name: 'Elliot Editor', roles: ['editor'] },
  {
    email: 'reviewer1@example.com',
    name: 'Rosa Kimura',
    roles: ['reviewer'],
    profile: {
      name: 'Dr. Rosa Kimura',
      credentials: 'MD, FACS',
      specialties: ['Hepatobiliary surgery', 'Surgical oncology'],
      bio: 'Hepatobiliary surgeon with twenty years of practice in liver and biliary tract cancer. (Demo profile.)',
      disclosures: 'None declared.',
    },
  },
  {
    email: 'reviewer2@example.com',
    name: 'Samuel Okafor',
    roles: ['reviewer'],
    profile: {
      name: 'Dr. Samuel Okafor',
      credentials: 'MD, PhD',
      specialties: ['Medical oncology', 'Gastrointestinal cancers'],
      bio: 'Medical oncologist who leads trials in gastrointestinal cancers. (Demo profile.)',
      disclosures: 'Advisory fees from a pharmaceutical company, unrelated to the content he reviews. (Demo disclosure.)',
    },
  },
]
