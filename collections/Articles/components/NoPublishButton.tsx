import type React from 'react'

/** Publishing is the workflow's job (approval publishes): no Publish button for anyone. */
export const NoPublishButton: React.FC = () => null
