import type { Metadata } from 'next'
import type React from 'react'

export const metadata: Metadata = {
  title: 'Vetted: medically reviewed answers',
  description: 'Clinical questions answered and reviewed by a medical advisory board.',
}

const SiteLayout = ({ children }: { children: React.ReactNode }) => (
  <html lang="en">
    <body style={{ fontFamily: 'system-ui, sans-serif', margin: '0 auto', maxWidth: '48rem', padding: '2rem 1rem', lineHeight: 1.5 }}>
      {children}
    </body>
  </html>
)

export default SiteLayout
